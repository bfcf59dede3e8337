"""Admins create, change and delete chat widgets; anyone may read a widget's public face by its key."""

from __future__ import annotations

import secrets
from dataclasses import asdict

from domain import access
from domain.errors import InvalidInput, NotFound
from storage.unit_of_work import UnitOfWork, UnitOfWorkFactory
from storage.widgets import WidgetRow

from .checks import WidgetDraft

ADMINS_ONLY = 'Only admins manage chat widgets.'
GONE = 'This widget does not exist.'


def new_secret() -> str:
    return secrets.token_urlsafe(32)


class WidgetService:
    def __init__(self, uow: UnitOfWorkFactory) -> None:
        self.uow = uow

    async def all(self, *, actor_id: int | None) -> list[WidgetRow]:
        async with self.uow() as uow:
            await access.require_admin(uow, actor_id, ADMINS_ONLY)
            return await uow.widgets.all()

    async def get(self, *, actor_id: int | None, widget_id: int) -> WidgetRow:
        async with self.uow() as uow:
            await access.require_admin(uow, actor_id, ADMINS_ONLY)
            return await _found(uow, widget_id)

    async def secrets(self, *, actor_id: int | None, widget_ids: list[int]) -> dict[int, str]:
        """The widgets' secrets, which sign the host site's user ids (admins only; never in a public answer)."""
        async with self.uow() as uow:
            await access.require_admin(uow, actor_id, ADMINS_ONLY)
            return await uow.widgets.secrets(widget_ids)

    async def create(self, *, actor_id: int | None, draft: WidgetDraft) -> tuple[WidgetRow, str]:
        """The new widget and its secret."""
        draft = draft.checked()
        secret = new_secret()
        async with self.uow(write=True) as uow:
            actor = await access.require_admin(uow, actor_id, ADMINS_ONLY)
            await _check_queue(uow, draft.queue_id)
            widget_id = await uow.widgets.add(public_key=secrets.token_urlsafe(16), secret=secret,
                                              **_values(draft))
            uow.events.add('widget.created', actor_id=actor.id, widget_id=widget_id, name=draft.name)
            await uow.commit()
            return await _found(uow, widget_id), secret

    async def change(self, *, actor_id: int | None, widget_id: int, draft: WidgetDraft) -> WidgetRow:
        draft = draft.checked()
        async with self.uow(write=True) as uow:
            actor = await access.require_admin(uow, actor_id, ADMINS_ONLY)
            await _found(uow, widget_id)
            await _check_queue(uow, draft.queue_id)
            await uow.widgets.change(widget_id, **_values(draft))
            uow.events.add('widget.changed', actor_id=actor.id, widget_id=widget_id, name=draft.name)
            await uow.commit()
            return await _found(uow, widget_id)

    async def regenerate_secret(self, *, actor_id: int | None, widget_id: int) -> str:
        """Rotate: a new secret replaces the old one at once; identities signed with the old one are refused."""
        secret = new_secret()
        async with self.uow(write=True) as uow:
            actor = await access.require_admin(uow, actor_id, ADMINS_ONLY)
            await _found(uow, widget_id)
            await uow.widgets.change(widget_id, secret=secret)
            uow.events.add('widget.secret_regenerated', actor_id=actor.id, widget_id=widget_id)
            await uow.commit()
        return secret

    async def delete(self, *, actor_id: int | None, widget_id: int) -> None:
        """The snippet stops working; the conversations stay in their queue."""
        async with self.uow(write=True) as uow:
            actor = await access.require_admin(uow, actor_id, ADMINS_ONLY)
            widget = await _found(uow, widget_id)
            await uow.widgets.remove(widget_id)
            uow.events.add('widget.deleted', actor_id=actor.id, widget_id=widget_id, name=widget.name)
            await uow.commit()

    async def public(self, public_key: str) -> WidgetRow | None:
        """The widget a snippet names, for anyone (its key is in every host page); None when there is none."""
        if not public_key or len(public_key) > 32:
            return None
        async with self.uow() as uow:
            return await uow.widgets.by_key(public_key)


def _values(draft: WidgetDraft) -> dict[str, object]:
    values = asdict(draft)
    values['origins'] = list(draft.origins)
    return values


async def _found(uow: UnitOfWork, widget_id: int) -> WidgetRow:
    widget = await uow.widgets.get(widget_id)
    if widget is None:
        raise NotFound(GONE)
    return widget


async def _check_queue(uow: UnitOfWork, queue_id: int) -> None:
    """A widget's conversations are tickets: they go to a private queue, which staff work in the inbox."""
    queue = await uow.workflows.queue(queue_id)
    if queue is None or queue.visibility != 'private':
        raise InvalidInput('Choose a private queue: its tickets are what staff answer in the inbox.',
                           field='queue_id')
