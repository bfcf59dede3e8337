"""A widget visitor becomes someone: they sign in (or register) inside the widget, or the host site vouches for
its signed-in user. Either way their anonymous history joins that person's, and nothing is lost.

Joining moves the anonymous visitor's tickets to the person (storage/visitor_history.py). When both have an open
ticket in the widget's queue, the visitor's messages move into the person's open ticket (each keeps its id, time
and files, so the thread reads in order) and the emptied ticket is closed, with a 'ticket.merged' event naming
where its messages went: one customer, one open ticket, every message kept.

A frame on another site has no session cookie, so the visitor's token goes on carrying identity: signing in links
the token's visitor to the account, and from then on the token acts as that account in this widget (its queue and
its files only); signing out inside the widget unlinks it. A verified host identity names one visitor per widget,
the same in every browser; a forged or missing signature is refused and nothing is merged.
"""

from __future__ import annotations

from dataclasses import dataclass

from domain import access
from domain.accounts.service import AccountService
from domain.errors import ConstraintConflict, InvalidInput, NotFound, PermissionDenied
from domain.events import MessagePosted, RequestChanged
from storage.rows import UserRow
from storage.unit_of_work import UnitOfWork, UnitOfWorkFactory
from storage.widgets import WidgetRow

from .identity import HostIdentity, verified
from .visitors import CHANNEL, CUSTOMER, Context, InvalidVisitor, Visitor, WidgetChatService, add_visitor, checked_email

STAFF_HERE = 'Staff answer visitors in the inbox: sign in there.'


@dataclass(frozen=True)
class Joined:
    """The token the widget keeps from now on, and who it acts as."""

    token: str
    acting_id: int


class WidgetJoining:
    def __init__(self, uow: UnitOfWorkFactory, accounts: AccountService, chat: WidgetChatService) -> None:
        self.uow = uow
        self.accounts = accounts
        self.chat = chat

    async def sign_in(self, widget: WidgetRow, *, token: str | None, username: str, password: str,
                      address: str) -> Joined:
        """Sign in inside the widget (throttled like every sign-in); the visitor's history joins the account."""
        account = await self.accounts.authenticate(username=username, password=password, address=address)
        return await self._join(widget, token, account, address)

    async def register(self, widget: WidgetRow, *, token: str | None, username: str, password: str, repeat: str,
                       address: str) -> Joined:
        """A new customer account made inside the widget; counted as a start of a conversation (rate-limited)."""
        self.chat.limits.send(visitor_id=None, address=address, starting=True)
        account = await self.accounts.register(username=username, password=password, repeat=repeat)
        return await self._join(widget, token, account, address)

    async def sign_out(self, widget: WidgetRow, *, token: str | None) -> None:
        """The token stops acting as the account; the history stays the account's."""
        found = await self._session(widget, token)
        if found is None or not found.signed_in:
            return
        async with self.uow(write=True) as uow:
            await uow.widgets.link(found.id, None)
            uow.events.add('visitor.signed_out', actor_id=found.acting_id, channel=CHANNEL, widget_id=widget.id,
                           visitor_id=found.id)
            await uow.commit()

    async def identify(self, widget: WidgetRow, *, token: str | None, identity: HostIdentity,
                       address: str, language: str = 'en') -> Joined:
        """The host site's signed-in user, if the widget's secret vouches for them (UnverifiedIdentity if not): the
        one visitor of that user id, whose history this browser's anonymous one joins (`language`: the widget's, for
        a user the site gave no name)."""
        async with self.uow() as uow:
            secret = await uow.widgets.secret(widget.id)
        identity = verified(secret or '', identity)
        try:
            email = checked_email(identity.email)
        except InvalidInput:
            email = ''  # the site's own data: an odd address is left out, the identity still holds
        found = await self._session(widget, token)
        if found is not None and found.external_id == identity.external_id and token is not None:
            return Joined(token, found.acting_id)
        for attempt in range(2):
            try:
                visitor_id = await self._identify(widget, found, identity, email, address, language)
                break
            except ConstraintConflict:  # the same user's other browser made their visitor a moment ago
                if attempt:
                    raise
        new_token = self.chat.tokens.issue(widget_id=widget.id, visitor_id=visitor_id)
        session = await self.chat.session(widget, new_token)
        assert session is not None
        return Joined(new_token, session.acting_id)

    async def _identify(self, widget: WidgetRow, found: Visitor | None, identity: HostIdentity, email: str,
                        address: str, language: str) -> int:
        async with self.uow(write=True) as uow:
            known = await uow.widgets.by_external(widget.id, identity.external_id)
            anonymous = found is not None and found.external_id is None
            if known is None and found is not None and anonymous:
                visitor_id = found.id  # this browser's visitor is who the site says: they stay, now known
                await uow.widgets.identify(visitor_id, external_id=identity.external_id)
            elif known is None:
                visitor_id = await add_visitor(uow, widget, name=identity.name, email=email,
                                               context=Context(address=address, shown_in=language),
                                               external_id=identity.external_id)
            else:
                visitor_id = known.user_id
                if found is not None and anonymous and not found.signed_in:
                    await self._move(uow, widget, from_id=found.id, to_id=known.account_id or known.user_id)
            if identity.name:
                await uow.users.set_preferences(visitor_id, display_name=identity.name)
            if email:
                await uow.widgets.set_email(visitor_id, email)
            uow.events.add('visitor.identified', actor_id=visitor_id, channel=CHANNEL, widget_id=widget.id,
                           from_visitor_id=found.id if found is not None else None)
            await uow.commit()
        return visitor_id

    async def _join(self, widget: WidgetRow, token: str | None, account: UserRow, address: str) -> Joined:
        if account.role != CUSTOMER:
            raise PermissionDenied(STAFF_HERE)
        found = await self._session(widget, token)
        async with self.uow(write=True) as uow:
            if found is None:
                visitor_id = await add_visitor(uow, widget, name=account.display_name, email='',
                                               context=Context(address=address))
            else:
                visitor_id = found.id
                if not found.signed_in:  # signed in to another account before: that history stays there
                    await self._move(uow, widget, from_id=found.id, to_id=account.id)
            await uow.widgets.link(visitor_id, account.id)
            uow.events.add('visitor.signed_in', actor_id=account.id, channel=CHANNEL, widget_id=widget.id,
                           visitor_id=visitor_id)
            await uow.commit()
        if found is None or token is None:
            token = self.chat.tokens.issue(widget_id=widget.id, visitor_id=visitor_id)
        return Joined(token, account.id)

    async def _move(self, uow: UnitOfWork, widget: WidgetRow, *, from_id: int, to_id: int) -> None:
        queue = await uow.workflows.queue(widget.queue_id)
        if queue is None:
            raise NotFound('This widget does not exist.')
        workflow = await access.workflow(uow, queue.workflow_id)
        closed = next(status for status in workflow.statuses if status.kind == 'closed')
        moved = await uow.widgets.move_history(from_id=from_id, to_id=to_id, queue_id=queue.id,
                                               closed_status_id=closed.id)
        uow.events.add('visitor.joined', actor_id=to_id, channel=CHANNEL, widget_id=widget.id, from_user_id=from_id,
                       tickets=list(moved.ticket_ids))
        for ticket_id in moved.ticket_ids:
            uow.emit(RequestChanged(ticket_id, queue.id))
        if moved.merged is not None:
            emptied, into = moved.merged
            uow.events.add('ticket.merged', actor_id=to_id, request_id=emptied, channel=CHANNEL, into=into)
            uow.emit(RequestChanged(into, queue.id))
            conversation_id = await uow.conversations.staff_conversation(into)
            last = await uow.conversations.messages(conversation_id, limit=1) if conversation_id else []
            if conversation_id is not None and last:  # pages showing the ticket read it again
                uow.emit(MessagePosted(into, conversation_id, last[-1].id, to_id))

    async def _session(self, widget: WidgetRow, token: str | None) -> Visitor | None:
        try:
            return await self.chat.session(widget, token)
        except InvalidVisitor:
            return None  # a stale or forged token joins nothing: a new visitor stands in
