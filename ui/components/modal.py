"""Dialogs built on demand: open, wait for an answer, then remove the dialog."""

from __future__ import annotations

from nicegui import ui


async def answer(dialog: ui.dialog) -> bool:
    """Open `dialog` and wait until it is submitted or closed; True when it was submitted with True."""
    result = await dialog
    if not dialog.is_deleted:  # the tab may have gone away while the dialog was open, taking it along
        dialog.delete()
    return bool(result)
