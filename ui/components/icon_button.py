"""A round icon button with an accessible name and a tooltip, as every icon-only button needs."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from nicegui import ui


def aria_label(label: str) -> str:
    """A props string naming an element; repr() quotes it so names with quotes stay intact."""
    return f'aria-label={label!r}'


def icon_button(icon: str, *, label: str, tooltip: str, on_click: Callable[..., Any]) -> ui.button:
    return ui.button(icon=icon, on_click=on_click).props(f'flat round dense {aria_label(label)}').tooltip(tooltip)
