"""The "Message" box with its "Send" button: Enter sends, Shift+Enter is a new line; nothing typed is lost."""

from __future__ import annotations

import inspect
import weakref
from collections.abc import Awaitable, Callable
from urllib.parse import quote

from nicegui import ui

from domain.errors import DomainError, NotSignedIn
from domain.files import Upload

from ..i18n import error_text, t
from ..tab import Tab
from .attachments import FilePicker, rules_text


class ReplyBox:
    """The box and the row under it (files, problems, Send), made where the box is made. No element of its own
    holds them: an element costs each open tab some 4 kB on the server (bench/live_load.py scenario 5). The
    elements' handlers keep the box alive as long as they are."""

    def __init__(self, tab: Tab, *, draft_key: str, return_to: str,
                 send: Callable[[str, list[Upload]], Awaitable[None]], with_files: bool = True) -> None:
        self._tab = tab
        # Weakly, when it is a method of the page that holds this box: the box must not keep its page alive (the
        # page's elements are freed by reference counting when it goes, see patches.teardown).
        self._send = weakref.WeakMethod(send) if inspect.ismethod(send) else lambda: send
        self._draft_key = draft_key
        self._return_to = return_to
        self._busy = False
        self._again = False
        self.text = ui.textarea(t('Message'), value=tab.take_draft(draft_key)) \
            .props('autogrow outlined counter').classes('w-full')
        self.text.on('keydown.enter.exact.prevent', self.submit)
        with ui.row().classes('w-full items-start') as self._row:
            limits = tab.desk.files.limits
            self.files = FilePicker(limits=limits, check=tab.desk.files.check).classes('grow max-w-full') \
                if with_files else None
            self.button = ui.button(t('Send'), icon='send', on_click=self.submit).classes('ml-auto shrink-0')
        if self.files is not None:
            # Inside the box, where people look for it; what may be attached is said under it before they try.
            self.text.props['hint'] = rules_text(limits)
            self.text.classes('sb-composer')
            with self.text.add_slot('append'):
                ui.button(icon='attach_file', on_click=self.files.choose) \
                    .props(f'flat round dense aria-label="{t("Attach files")}"').mark('attach') \
                    .tooltip(t('Attach files'))
            self.files.hook(self.text)
        # Made at the first problem: an element costs every open tab about 4 kB on the server, and most boxes
        # never show one (bench/live_load.py scenario 5, two hundred idle chats).
        self.problem: ui.label | None = None
        self.sign_in: ui.link | None = None

    async def submit(self) -> None:
        """Send what the box holds. A submit while one is sending (Enter and a click at once, or the next message
        typed meanwhile) waits for it, then sends what the box holds by then, if anything."""
        if self._busy:
            self._again = True
            return
        self._busy = True
        self.button.props('loading')
        try:
            self._again = True
            while self._again:
                self._again = False
                if not await self._send_box():
                    break
                self._again = self._again and bool(self.text.value)
        finally:
            self._busy = False
            self.button.props(remove='loading')

    async def _send_box(self) -> bool:
        """Send the text and files; True when they went, False when a problem is shown and the text is back."""
        text = self.text.value or ''
        self.text.set_value('')  # free for the next message at once, as in any chat
        try:
            send = self._send()
            if send is None:
                return False  # the page is gone
            await send(text, self.files.take() if self.files else [])
        except NotSignedIn as error:
            self._tab.save_draft(self._draft_key, self._put_back(text))  # kept for when they have signed in
            self._show_problem(error_text(error), sign_in=True)
            return False
        except DomainError as error:
            self._put_back(text)
            self._show_problem(error_text(error))
            return False
        if self.files:
            self.files.clear()
        self._show_problem(None)
        return True

    def _put_back(self, text: str) -> str:
        """What did not go returns to the box, before whatever was typed meanwhile."""
        typed = self.text.value or ''
        self.text.set_value(f'{text}\n{typed}' if text and typed else text or typed)
        return self.text.value

    def _show_problem(self, message: str | None, *, sign_in: bool = False) -> None:
        if self.problem is None or self.sign_in is None:
            if message is None:
                return
            with self._row:
                self.problem = ui.label().classes('text-negative').props('role=alert')
                self.sign_in = ui.link(t('Sign in'), f'/login?redirect_to={quote(self._return_to)}') \
                    .mark('reply-sign-in')
            at = 1 if self.files else 0
            self.problem.move(target_index=at)
            self.sign_in.move(target_index=at + 1)
        self.problem.set_text(message or '')
        self.problem.set_visibility(message is not None)
        self.sign_in.set_visibility(sign_in)
