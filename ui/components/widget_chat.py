"""A chat widget's conversation: the support chat's pane, written through the widget as its visitor.

Who writes is what the visitor's token names: an anonymous visitor, the account they signed in to inside the
widget, or the host site's signed-in user when the widget's secret vouches for them (the page's '#user_id=...').
"""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections.abc import Callable
from urllib.parse import parse_qs, urlencode

from nicegui import app, ui

from domain.errors import NotFound
from domain.events import MessagePosted, RequestChanged
from domain.files import Upload
from domain.tickets.support import SupportChat
from domain.widgets.identity import HostIdentity, UnverifiedIdentity
from domain.widgets.joining import Joined
from domain.widgets.visitors import Context, InvalidVisitor, Visitor
from storage.widgets import WidgetRow

from ..i18n import error_text, t
from ..pages.support import SupportChatPane
from ..tab import Tab
from .message_block import FILE_LINKS
from .widget_account import WidgetAccount
from .widget_offline import OfflineNotice

STORE = 'switchboard-widget:'  # + the widget's key: the visitor's token in this frame's own (partitioned) storage
TOKEN_MESSAGE = 'switchboard-widget-token'  # what the loader script on the host page listens for
SETTLE_TIMEOUT = 5.0  # s: longer than asking the frame (3 s) and the identity's few reads


class WidgetChatPane(SupportChatPane):
    """Reads and writes as the visitor its token names. Before their first message there is none: that message
    makes the visitor, and the new token is kept in this frame and handed to the host page's loader."""

    def __init__(self, tab: Tab, widget: WidgetRow, *, token: str | None, context: Context,
                 host_origin: str | None, header: ui.element) -> None:
        self.widget = widget
        self.token = token
        self.context = context
        self.host_origin = host_origin  # where the loader listens, when one framed us; a checked, allowed origin
        self.visitor: Visitor | None = None
        self.name: ui.input | None = None
        self.email: ui.input | None = None
        self.fields: ui.column | None = None
        self._leave: Callable[[], None] | None = None  # this frame's presence (domain/widgets/presence.py)
        self._arrived = False
        self._settled = asyncio.Event()  # set once arrived() knows who this is: the first message waits for it
        super().__init__(tab, SupportChat([], None, 0))
        self.classes('max-w-none')
        desk = tab.desk
        self.refusal: ui.label | None = None  # made if the host site's word on its user is refused
        with self:
            self.account = WidgetAccount(
                header, on_joined=self.joined, on_sign_out=self.sign_out,
                sign_in=lambda username, password: desk.widget_joining.sign_in(
                    widget, token=self.token, username=username, password=password, address=context.address),
                register=lambda username, password, repeat: desk.widget_joining.register(
                    widget, token=self.token, username=username, password=password, repeat=repeat,
                    address=context.address))
            self.offline = OfflineNotice(widget, desk.presence, self.client)
        self.account.move(self, target_index=0)
        self.offline.move(self, target_index=self.default_slot.children.index(self.box.text))
        if widget.name_field != 'off' or widget.email_field != 'off':
            self._pre_chat_fields()
        self.client.on_delete(self._gone)

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
        # Sent before the page learnt the site's user, it would make an anonymous visitor beside them.
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self.settled(), timeout=SETTLE_TIMEOUT)
        email = (self.email.value if self.email else '') or self.offline.given
        sent = await self.tab.desk.widget_chat.write(
            self.widget, token=self.token, text=text, files=files, context=self.context,
            name=self.name.value if self.name else '', email=email)
        if self.user_id != sent.visitor_id:  # this message made the visitor
            await self._become_token(sent.token)
            self.remember()
        elif email:
            self.offline.visitor_has_email(True)
        if sent.message.conversation_id not in self.threads:  # a new ticket: nothing here watches it yet
            await self._show_new(sent.message.conversation_id)
        # Else the message's own event shows it (LiveThread.follow): reading here too made a second read of every
        # message (bench/live_load.py scenario 8).

    async def arrived(self) -> None:
        """Once connected: the host site's user (after '#', never sent to a server) and this frame's own storage."""
        self._here()
        if self._arrived:
            return  # a reconnect: the live watches read what was missed
        self._arrived = True
        try:
            await self._identify()
        finally:
            self._settled.set()

    async def settled(self) -> None:
        """Wait until the page knows who this is (tests, and the first message)."""
        await self._settled.wait()

    async def _identify(self) -> None:
        key = json.dumps(STORE + self.widget.public_key)
        found = await ui.run_javascript(
            f'var token = null; try {{ token = localStorage.getItem({key}) }} catch (e) {{}} '
            'return {token: token, hash: location.hash}', timeout=3)
        found = found if isinstance(found, dict) else {}
        stored = found.get('token') if isinstance(found.get('token'), str) else None
        identity = host_identity(str(found.get('hash') or ''))
        if identity is not None:
            try:
                joined = await self.tab.desk.widget_joining.identify(
                    self.widget, token=self.token or stored, identity=identity, address=self.context.address,
                    language=self.context.shown_in)
            except UnverifiedIdentity as error:  # refused, and never merged: the visitor goes on as a guest
                with self:
                    self.refusal = ui.label(error_text(error)).classes('text-body2 text-negative') \
                        .mark('identity-refused')
                self.refusal.move(self, target_index=0)
            else:
                await self._become_token(joined.token)
                self.remember()
                return
        if self.user_id is not None or not stored:
            return
        try:
            visitor = await self.tab.desk.widget_chat.session(self.widget, stored)
        except InvalidVisitor:
            ui.run_javascript(f'try {{ localStorage.removeItem({key}) }} catch (e) {{}}')
            return
        if visitor is not None and visitor.external_id is None:  # a known user's chat only with the site's word
            await self.become(visitor, stored)

    async def joined(self, joined: Joined) -> None:
        """Signed in (or registered) inside the widget: the history now is the account's."""
        await self._become_token(joined.token)
        self.remember()
        ui.notify(t('Signed in: this conversation is kept with your account.'), color='positive')

    async def sign_out(self) -> None:
        """The token stops acting as the account, and this browser forgets it: the next visitor starts afresh."""
        await self.tab.desk.widget_joining.sign_out(self.widget, token=self.token)
        self._reset()
        self.user_id = self.token = self.visitor = None
        self.tab.user = None
        self.account.signed_in(None)
        self._here()
        self.remember()
        self._show_state()

    async def become(self, visitor: Visitor, token: str) -> None:
        """Show the chat of the visitor a token names (on opening, once the frame's storage answered, after a
        sign-in or the host site's word); another visitor's chat shown before goes first."""
        if self.user_id is not None and self.user_id != visitor.acting_id:
            self._reset()
        self.user_id, self.token, self.visitor = visitor.acting_id, token, visitor
        self.tab.user = await self.tab.desk.requests.signed_in(viewer_id=visitor.acting_id)
        self.account.signed_in(self.tab.user.display_name if visitor.signed_in else None)
        self.offline.visitor_has_email(bool(visitor.email) or visitor.signed_in)
        self._link_files()
        self._drop_fields()
        self._here()
        await self.resync()

    async def _become_token(self, token: str) -> None:
        visitor = await self.tab.desk.widget_chat.session(self.widget, token)
        assert visitor is not None
        await self.become(visitor, token)

    def remember(self) -> None:
        """Keep the token in this frame's storage and hand it to the host page, which keeps it in its own."""
        key, token = json.dumps(STORE + self.widget.public_key), json.dumps(self.token or '')
        script = (f'try {{ localStorage.setItem({key}, {token}) }} catch (e) {{}}' if self.token
                  else f'try {{ localStorage.removeItem({key}) }} catch (e) {{}}')
        if self.host_origin:
            message = json.dumps({'type': TOKEN_MESSAGE, 'token': self.token or ''})
            target = json.dumps(self.host_origin)
            script += f'; if (window.parent !== window) window.parent.postMessage({message}, {target})'
        ui.run_javascript(script)

    def _here(self) -> None:
        """Count this frame as the visitor's while it is connected: an answer then needs no email."""
        if self._leave is not None:
            self._leave()
            self._leave = None
        if self.user_id is not None and self.client.has_socket_connection:
            self._leave = self.tab.desk.presence.arrive(self.user_id, staff=False)

    def _gone(self) -> None:
        if self._leave is not None:
            self._leave()
            self._leave = None

    def _reset(self) -> None:
        """Another visitor (or none) from now on: their threads and watches go with the old history."""
        old = self.history
        with self:
            self.history = ui.column().classes('w-full gap-2')
        self.history.move(self, target_index=self.default_slot.children.index(old))
        old.delete()
        self.threads.clear()
        self.open_ticket_id = None

    def _link_files(self) -> None:
        """Files open through the widget's own route with the token: this frame sends no session cookie."""
        query = urlencode({'vt': self.token or ''})
        app.storage.client[FILE_LINKS] = f'/widget/{self.widget.public_key}/files/{{id}}?{query}'

    def _drop_fields(self) -> None:
        """Asked once: the visitor exists now."""
        if self.fields is not None:
            self.fields.delete()
        self.fields = self.name = self.email = None

    async def changed(self, event: RequestChanged) -> None:
        try:
            await super().changed(event)
        except NotFound:  # the ticket just changed hands (its visitor signed in): the new owner's chat is read again
            pass

    async def posted(self, event: MessagePosted) -> None:
        try:
            await super().posted(event)
        except NotFound:  # likewise
            pass

    async def resync(self) -> None:
        if self.user_id is not None:
            self.show(await self.tab.desk.widget_chat.chat(self.widget, visitor_id=self.user_id))

    def _show_state(self) -> None:
        if not self.threads and self.widget.greeting:
            if self.state is not None:
                self.state.set_visibility(False)
            return  # the greeting above says how to begin
        super()._show_state()


def host_identity(fragment: str) -> HostIdentity | None:
    """The host site's user from the frame address's fragment (`#user_id=..&user_hash=..`), if it names one."""
    values = {name: found[0] for name, found in parse_qs(fragment.lstrip('#')[:4000]).items() if found}
    if not values.get('user_id'):
        return None
    return HostIdentity(values['user_id'], values.get('user_name', ''), values.get('user_email', ''),
                        values.get('user_hash', ''))
