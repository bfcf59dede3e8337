"""A button that leaves the app for an OAuth provider, to sign in or to link an account."""

from __future__ import annotations

from nicegui import ui


def provider_button(action: str, label: str) -> ui.button:
    """A form POST to `action`: a link would be caught by the single-page router, which shows "not found" first."""
    with ui.element('form').classes('w-full') as form:
        form.props['method'] = 'post'
        form.props['action'] = action
        return ui.button(label, icon='login').props('type=submit outline no-caps').classes('w-full')
