"""Anonymous visitors of a chat widget: a signed token names them, their messages become tickets in its queue."""

from __future__ import annotations

import re
import secrets
from collections.abc import Sequence
from dataclasses import dataclass

from itsdangerous import BadSignature, URLSafeSerializer

from domain import access
from domain.errors import InvalidInput, PermissionDenied
from domain.files import Upload
from domain.requests.conversations import checked_text
from domain.text import storable
from domain.tickets.support import SupportChat, SupportService
from storage.rows import MessageRow
from storage.unit_of_work import UnitOfWork, UnitOfWorkFactory
from storage.widgets import VisitorRow, WidgetRow

from .checks import normal_origin, origin_of
from .limits import VisitorLimits

CUSTOMER = 'customer'
VISITOR = 'visitor'  # their role: no password, no session, never staff; only the widget page acts for them
CHANNEL = 'widget'
STAFF_ONLY = 'Only staff see who a visitor is.'
URL_MAX, LANGUAGE_MAX, NAME_MAX, EMAIL_MAX = 2000, 35, 80, 254
_EMAIL = re.compile(r'^[^@\s]{1,64}@[^@\s]+\.[^@\s]+$')


class InvalidVisitor(PermissionDenied):
    """A visitor token that this desk did not sign for this widget, or whose visitor is gone."""


@dataclass(frozen=True)
class Context:
    """Where the visitor is: the host page, how they came to it, their browser's language, their address."""

    page_url: str = ''
    referrer: str = ''
    language: str = ''
    address: str = 'unknown'

    def bounded(self) -> Context:
        return Context(storable(self.page_url)[:URL_MAX], storable(self.referrer)[:URL_MAX],
                       storable(self.language)[:LANGUAGE_MAX], self.address[:64])


@dataclass(frozen=True)
class Sent:
    message: MessageRow
    visitor_id: int
    token: str  # the visitor's token: new when this message made the visitor


@dataclass(frozen=True)
class Visitor:
    """What a visitor token names: the visitor, who they act as (their account once they signed in inside the
    widget), and who the host site said they are (a verified external id), if it did."""

    id: int
    acting_id: int
    external_id: str | None
    email: str | None
    name: str

    @property
    def signed_in(self) -> bool:
        return self.acting_id != self.id


class VisitorTokens:
    """Signed with the app's secret and bound to one widget: a token from one widget is refused by another."""

    def __init__(self, secret_key: str) -> None:
        self._serializer = URLSafeSerializer(secret_key, salt='switchboard.widget-visitor')

    def issue(self, *, widget_id: int, visitor_id: int) -> str:
        return self._serializer.dumps({'w': widget_id, 'v': visitor_id})

    def read(self, token: str, *, widget_id: int) -> int:
        try:
            data = self._serializer.loads(token)
        except BadSignature as error:
            raise InvalidVisitor('This chat session is not valid; start a new one.') from error
        if not isinstance(data, dict) or data.get('w') != widget_id or not isinstance(data.get('v'), int):
            raise InvalidVisitor('This chat session is not valid; start a new one.')
        return data['v']


def allowed_origin(widget: WidgetRow, origin: str | None) -> bool:
    """Whether a page of `origin` (an origin or a full URL) may show this widget."""
    normal = normal_origin(origin) or origin_of(origin)
    return normal is not None and normal in widget.origins


class WidgetChatService:
    def __init__(self, uow: UnitOfWorkFactory, support: SupportService, *, secret_key: str) -> None:
        self.uow = uow
        self.support = support
        self.tokens = VisitorTokens(secret_key)
        self.limits = VisitorLimits()

    async def visitor(self, widget: WidgetRow, token: str | None) -> int | None:
        """Who a token acts as on this widget (the visitor, or the account they signed in to inside it); None
        without a token; InvalidVisitor for a bad one."""
        found = await self.session(widget, token)
        return found.acting_id if found is not None else None

    async def session(self, widget: WidgetRow, token: str | None) -> Visitor | None:
        """The visitor a token names on this widget, with whom they act as; None without a token."""
        if not token:
            return None
        visitor_id = self.tokens.read(token, widget_id=widget.id)
        async with self.uow() as uow:
            found = await uow.widgets.visitor(visitor_id)
            user = await uow.users.get(visitor_id)
            account = await uow.users.get(found.account_id) if found is not None and found.account_id else None
        if found is None or found.widget_id != widget.id or user is None or user.role != VISITOR \
                or not user.is_active:
            raise InvalidVisitor('This chat session is not valid; start a new one.')
        # An account that was deactivated, or became staff, no longer answers to a token its owner left on a site.
        acting = account.id if account is not None and account.is_active and account.role == CUSTOMER else user.id
        return Visitor(user.id, acting, found.external_id, found.email, user.display_name)

    async def chat(self, widget: WidgetRow, *, visitor_id: int) -> SupportChat:
        """The visitor's conversations in this widget's queue, earlier ones first."""
        return await self.support.chat(viewer_id=visitor_id, queue_id=widget.queue_id)

    async def write(self, widget: WidgetRow, *, token: str | None, text: str, files: Sequence[Upload] = (),
                    context: Context = Context(), name: str = '', email: str = '') -> Sent:
        """Write as the token's visitor, or as a new visitor (named by the pre-chat fields) when there is none."""
        checked_text(text, with_files=bool(files))  # before a new visitor is stored for nothing
        context = context.bounded()
        found = await self.session(widget, token)
        acting_id = found.acting_id if found is not None else None
        starting = acting_id is None or not await self._has_open(widget, acting_id)
        self.limits.send(visitor_id=acting_id, address=context.address, starting=starting)
        if found is None:
            visitor_id = await self._new_visitor(widget, name=name, email=email, address=context.address)
            token, acting_id = self.tokens.issue(widget_id=widget.id, visitor_id=visitor_id), visitor_id
        else:
            visitor_id = found.id
            if email and not found.email and widget.email_field != 'off':  # asked again while nobody was online
                await self.leave_email(widget, visitor_id=visitor_id, email=email)
        assert token is not None and acting_id is not None
        message = await self.support.write(actor_id=acting_id, text=text, channel=CHANNEL, files=files,
                                           event_data={'widget_id': widget.id}, queue_id=widget.queue_id)
        async with self.uow(write=True) as uow:
            await uow.widgets.visited(visitor_id, page_url=context.page_url, referrer=context.referrer,
                                      language=context.language, address=context.address)
            await uow.commit()
        return Sent(message, acting_id, token)

    async def leave_email(self, widget: WidgetRow, *, visitor_id: int, email: str) -> None:
        """Where an answer goes when the visitor has left (asked when nobody is online)."""
        email = checked_email(email)
        if not email or widget.email_field == 'off':
            return
        async with self.uow(write=True) as uow:
            await uow.widgets.set_email(visitor_id, email)
            await uow.commit()

    async def typing(self, *, visitor_id: int, request_id: int) -> None:
        await self.support.typing(actor_id=visitor_id, request_id=request_id)

    async def facts(self, *, viewer_id: int | None, request_id: int) -> VisitorRow | None:
        """Where the author of a ticket was when they last wrote through a widget (staff); None for others."""
        async with self.uow() as uow:
            viewer = await access.require_staff(uow, viewer_id, STAFF_ONLY)
            record = await access.readable_request(uow, viewer, request_id)
            return await uow.widgets.of_author(record.author_id) if record.author_id else None

    async def _has_open(self, widget: WidgetRow, visitor_id: int) -> bool:
        async with self.uow() as uow:
            return await uow.conversations.open_ticket(widget.queue_id, visitor_id) is not None

    async def _new_visitor(self, widget: WidgetRow, *, name: str, email: str, address: str) -> int:
        name, email = storable(name).strip(), storable(email).strip()
        if widget.name_field == 'required' and not name:
            raise InvalidInput('Tell us your name.', field='name')
        if len(name) > NAME_MAX:
            raise InvalidInput('At most {max} characters (now {length}).', field='name', max=NAME_MAX,
                               length=len(name))
        if widget.email_field == 'required' and not email:
            raise InvalidInput('Tell us your email address.', field='email')
        email = checked_email(email)
        async with self.uow(write=True) as uow:
            visitor_id = await add_visitor(uow, widget, name=name if widget.name_field != 'off' else '',
                                           email=email if widget.email_field != 'off' else '', address=address)
            await uow.commit()
        return visitor_id


async def add_visitor(uow: UnitOfWork, widget: WidgetRow, *, name: str, email: str, address: str,
                      external_id: str | None = None) -> int:
    """A new visitor of the widget (a user of role 'visitor', no password): named, or 'Visitor' and a tag."""
    tag = secrets.token_hex(6)
    visitor_id = await uow.users.add(username=f'visitor-{tag}', password_hash=None, role=VISITOR,
                                     display_name=name or f'Visitor {tag[:4]}')
    await uow.widgets.add_visitor(user_id=visitor_id, widget_id=widget.id, email=email or None, address=address,
                                  external_id=external_id)
    uow.events.add('visitor.created', actor_id=visitor_id, channel=CHANNEL, widget_id=widget.id,
                   verified=external_id is not None)
    return visitor_id


def checked_email(email: str) -> str:
    """The address, trimmed; '' for none; InvalidInput for something that is no address."""
    email = storable(email or '').strip()
    if email and (len(email) > EMAIL_MAX or not _EMAIL.match(email)):
        raise InvalidInput('This is no email address.', field='email')
    return email
