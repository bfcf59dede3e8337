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
from domain.tickets.support import OpenTicket, Origin, SupportChat, SupportService
from storage.rows import MessageRow, QueueRow, UserRow
from storage.unit_of_work import UnitOfWork, UnitOfWorkFactory
from storage.widgets import VisitorRow, VisitorSession, WidgetRow

from .checks import normal_origin, origin_of
from .limits import VisitorLimits

CUSTOMER = 'customer'
VISITOR = 'visitor'  # their role: no password, no session, never staff; only the widget page acts for them
CHANNEL = 'widget'
STAFF_ONLY = 'Only staff see who a visitor is.'
URL_MAX, LANGUAGE_MAX, NAME_MAX, EMAIL_MAX = 2000, 35, 80, 254
DEFAULT_NAMES = {'en': 'Visitor', 'ru': 'Посетитель'}  # + a tag: the name of a visitor who gave none
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
    shown_in: str = 'en'  # the language the widget's page speaks to them (its own choice, not the browser's word)

    def bounded(self) -> Context:
        return Context(storable(self.page_url)[:URL_MAX], storable(self.referrer)[:URL_MAX],
                       storable(self.language)[:LANGUAGE_MAX], self.address[:64], self.shown_in)


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
            found = await uow.widgets.session(visitor_id)
        acting = _acting(widget, found)
        assert found is not None
        return Visitor(found.user.id, acting.id, found.visitor.external_id, found.visitor.email,
                       found.user.display_name)

    async def chat(self, widget: WidgetRow, *, visitor_id: int) -> SupportChat:
        """The visitor's conversations in this widget's queue, earlier ones first."""
        return await self.support.chat(viewer_id=visitor_id, queue_id=widget.queue_id)

    async def write(self, widget: WidgetRow, *, token: str | None, text: str, files: Sequence[Upload] = (),
                    context: Context = Context(), name: str = '', email: str = '') -> Sent:
        """Write as the token's visitor, or as a new visitor (named by the pre-chat fields) when there is none.

        Who the token names is checked again in the message's own transaction, which also finds their open ticket
        and notes where they are: one transaction a message (it was four, and three reads; bench/live_load.py
        scenario 8). So a visitor deactivated a moment ago is refused at their next message."""
        checked_text(text, with_files=bool(files))  # before a new visitor is stored for nothing
        context = context.bounded()
        visitor_id = self.tokens.read(token, widget_id=widget.id) if token else None
        if visitor_id is None:
            name, email = _pre_chat(widget, name, email)
            self.limits.send(visitor_id=None, address=context.address, starting=True)
        counted, made = visitor_id is None, []  # made: the new visitor, once their transaction made them

        async def author(uow: UnitOfWork, queue: QueueRow) -> tuple[UserRow, OpenTicket]:
            nonlocal counted
            if visitor_id is None:
                made[:] = [await add_visitor(uow, widget, name=name, email=email, context=context)]
                user = await uow.users.get(made[0])
                assert user is not None
                return user, None
            found = await uow.widgets.session(visitor_id)
            acting = _acting(widget, found)
            assert found is not None
            open_ticket = await uow.conversations.open_ticket(queue.id, acting.id)
            if not counted:  # once, though a race over the open ticket runs this again
                self.limits.send(visitor_id=acting.id, address=context.address, starting=open_ticket is None)
                counted = True
            if email and not found.visitor.email and widget.email_field != 'off':  # asked again: nobody was online
                await uow.widgets.set_email(visitor_id, checked_email(email))
            if _moved(found, context):
                await uow.widgets.visited(visitor_id, page_url=context.page_url, referrer=context.referrer,
                                          language=context.language, address=context.address)
            return acting, open_ticket

        message = await self.support.write_by(author, text=text, files=files, queue_id=widget.queue_id,
                                              origin=Origin(CHANNEL, None, {'widget_id': widget.id}))
        if made:
            token = self.tokens.issue(widget_id=widget.id, visitor_id=made[0])
        assert token is not None
        return Sent(message, message.author_id, token)

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


def _acting(widget: WidgetRow, found: VisitorSession | None) -> UserRow:
    """Whom a visitor acts as: their account (signed in inside the widget), or themselves; InvalidVisitor if the
    visitor is gone, of another widget, or deactivated."""
    if found is None or found.visitor.widget_id != widget.id or found.user.role != VISITOR \
            or not found.user.is_active:
        raise InvalidVisitor('This chat session is not valid; start a new one.')
    # An account that was deactivated, or became staff, no longer answers to a token its owner left on a site.
    account = found.account
    return account if account is not None and account.is_active and account.role == CUSTOMER else found.user


def _moved(found: VisitorSession, context: Context) -> bool:
    """Whether the visitor's facts need writing: they are somewhere else now, or (signed in) they are one of the
    account's visitors, where the last one written to tells staff which the account wrote from last."""
    visitor = found.visitor
    return (visitor.account_id is not None or found.address != context.address
            or (visitor.page_url, visitor.referrer, visitor.language) != (context.page_url, context.referrer,
                                                                          context.language))


def _pre_chat(widget: WidgetRow, name: str, email: str) -> tuple[str, str]:
    """A new visitor's name and email as the widget asks for them (InvalidInput for what is missing or wrong)."""
    name, email = storable(name).strip(), storable(email).strip()
    if widget.name_field == 'required' and not name:
        raise InvalidInput('Tell us your name.', field='name')
    if len(name) > NAME_MAX:
        raise InvalidInput('At most {max} characters (now {length}).', field='name', max=NAME_MAX,
                           length=len(name))
    if widget.email_field == 'required' and not email:
        raise InvalidInput('Tell us your email address.', field='email')
    email = checked_email(email)
    return (name if widget.name_field != 'off' else '', email if widget.email_field != 'off' else '')


def default_name(language: str, tag: str) -> str:
    """What a visitor who gave no name is called, in the language the widget spoke to them."""
    return f'{DEFAULT_NAMES.get(language[:2].lower(), DEFAULT_NAMES["en"])} {tag}'


async def add_visitor(uow: UnitOfWork, widget: WidgetRow, *, name: str, email: str, context: Context,
                      external_id: str | None = None) -> int:
    """A new visitor of the widget (a user of role 'visitor', no password): named, or 'Visitor' and a tag in the
    widget's language, where they are noted."""
    tag = secrets.token_hex(6)
    visitor_id = await uow.users.add(username=f'visitor-{tag}', password_hash=None, role=VISITOR,
                                     display_name=name or default_name(context.shown_in, tag[:4]))
    await uow.widgets.add_visitor(user_id=visitor_id, widget_id=widget.id, email=email or None,
                                  address=context.address, external_id=external_id, page_url=context.page_url,
                                  referrer=context.referrer, language=context.language)
    uow.events.add('visitor.created', actor_id=visitor_id, channel=CHANNEL, widget_id=widget.id,
                   verified=external_id is not None)
    return visitor_id


def checked_email(email: str) -> str:
    """The address, trimmed; '' for none; InvalidInput for something that is no address."""
    email = storable(email or '').strip()
    if email and (len(email) > EMAIL_MAX or not _EMAIL.match(email)):
        raise InvalidInput('This is no email address.', field='email')
    return email
