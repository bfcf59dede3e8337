"""A chat widget's conversation: the support chat's pane, written through the widget as its anonymous visitor."""

from __future__ import annotations

import json
from urllib.parse import urlencode

from nicegui import app, ui

from domain.files import Upload
from domain.tickets.support import SupportChat
from domain.widgets.visitors import Context, InvalidVisitor
from storage.widgets import WidgetRow

from ..i18n import t
from ..pages.support import SupportChatPane
from ..tab import Tab
from .message_block import FILE_LINKS

STORE = 'switchboard-widget:'  # + the widget's key: the visitor's token in this frame's own (partitioned) storage
TOKEN_MESSAGE = 'switchboard-widget-token'  # what the loader script on the host page listens for


class WidgetChatPane(SupportChatPane):
    """Reads and writes as the visitor its token names. Before their first message there is none: that message
    makes the visitor, and the new token is kept in this frame and handed to the host page's loader."""

    def __init__(self, tab: Tab, widget: WidgetRow, *, token: str | None, context: Context,
                 host_origin: str | None) -> None:
        self.widget = widget
        self.token = token
        self.context = context
        self.host_origin = host_origin  # where the loader listens, when one framed us; a checked, allowed origin
        self.name: ui.input | None = None
        self.email: ui.input | None = None
        self.fields: ui.column | None = None
        super().__init__(tab, SupportChat([], None, 0))
        self.classes('max-w-none')
        if tab.user is None and (widget.name_field != 'off' or widget.email_field != 'off'):
            self._pre_chat_fields()

    def _pre_chat_fields(self) -> None:
        with self:
            self.fields = ui.column().classes('w-full gap-1').mark('pre-chat')
            with self.fields:
                if self.widget.name_field != 'off':
                    self.name = ui.input(t('Your name') + (' *' if self.widget.name_field == 'required' else '')) \
                        .props('outlined dense maxlength=80').classes('w-full')
                if self.widget.email_field != 'off':
                    self.email = ui.input(t('Your email') + (' *' if self.widget.email_field == 'required' else '')) \
                        .props('outlined dense type=email maxlength=254').classes('w-full')
        self.fields.move(self, target_index=self.default_slot.children.index(self.box.text))  # right above the box

    async def send(self, text: str, files: list[Upload]) -> None:
        sent = await self.tab.desk.widget_chat.write(
            self.widget, token=self.token, text=text, files=files, context=self.context,
            name=self.name.value if self.name else '', email=self.email.value if self.email else '')
        if self.user_id != sent.visitor_id:  # this message made the visitor
            self.user_id = sent.visitor_id
            self.token = sent.token
            self.tab.user = await self.tab.desk.requests.signed_in(viewer_id=sent.visitor_id)
            self._link_files()
            self._drop_fields()
            self.remember()
        await self._show_new(sent.message.conversation_id)

    def remember(self) -> None:
        """Keep the token in this frame's storage and hand it to the host page, which keeps it in its own."""
        key, token = json.dumps(STORE + self.widget.public_key), json.dumps(self.token)
        script = f'try {{ localStorage.setItem({key}, {token}) }} catch (e) {{}}'
        if self.host_origin:
            message = json.dumps({'type': TOKEN_MESSAGE, 'token': self.token})
            target = json.dumps(self.host_origin)
            script += f'; if (window.parent !== window) window.parent.postMessage({message}, {target})'
        ui.run_javascript(script)

    async def restore(self) -> None:
        """Without a token from the loader, look in this frame's own storage (a plain iframe embed, a reload)."""
        if self.user_id is not None:
            return
        key = json.dumps(STORE + self.widget.public_key)
        token = await ui.run_javascript(f'try {{ return localStorage.getItem({key}) }} catch (e) {{ return null }}')
        if not isinstance(token, str) or not token or self.user_id is not None:
            return
        try:
            visitor_id = await self.tab.desk.widget_chat.visitor(self.widget, token)
        except InvalidVisitor:
            ui.run_javascript(f'try {{ localStorage.removeItem({key}) }} catch (e) {{}}')
            return
        await self.become(visitor_id, token)

    async def become(self, visitor_id: int | None, token: str | None) -> None:
        """Show the chat of the visitor a token named (on opening, or once the frame's storage answered)."""
        if visitor_id is None:
            return
        self.user_id, self.token = visitor_id, token
        self.tab.user = await self.tab.desk.requests.signed_in(viewer_id=visitor_id)
        self._link_files()
        self._drop_fields()
        await self.resync()

    def _link_files(self) -> None:
        """Files open through the widget's own route with the token: this frame sends no session cookie."""
        query = urlencode({'vt': self.token or ''})
        app.storage.client[FILE_LINKS] = f'/widget/{self.widget.public_key}/files/{{id}}?{query}'

    def _drop_fields(self) -> None:
        """Asked once: the visitor exists now."""
        if self.fields is not None:
            self.fields.delete()
        self.fields = self.name = self.email = None

    async def resync(self) -> None:
        if self.user_id is not None:
            self.show(await self.tab.desk.widget_chat.chat(self.widget, visitor_id=self.user_id))

    def _show_state(self) -> None:
        if not self.threads and self.widget.greeting:
            if self.state is not None:
                self.state.set_visibility(False)
            return  # the greeting above says how to begin
        super()._show_state()
