"""Domain errors in a form: on the field they name, else as a notification."""

from __future__ import annotations

from collections.abc import Mapping

from nicegui import ui
from nicegui.elements.mixins.validation_element import ValidationElement

from domain.errors import DomainError

from ..i18n import error_text


def clear_errors(fields: Mapping[str, ValidationElement]) -> None:
    for field in fields.values():
        field.error = None


def show_error(error: DomainError, fields: Mapping[str, ValidationElement]) -> None:
    target = fields.get(error.field or '')
    if target is None:
        ui.notify(error_text(error), color='negative')
    else:
        target.error = error_text(error)
