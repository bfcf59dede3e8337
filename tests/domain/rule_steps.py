"""What the rule tests do often: make a rule, file a request where a rule looks, read what the rules did."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select, update

from domain.desk import Desk
from domain.rules.service import RuleDraft
from storage.jobs import JobRow
from storage.model_automation import Job
from storage.models import Event, Message, User, utcnow
from storage.rows import EventRow, RequestRecord, UserRow
from tests.factories import make_user, unique


async def make_rule(desk: Desk, admin: UserRow, trigger: str, conditions: list[dict[str, Any]],
                    actions: list[dict[str, Any]], *, name: str | None = None) -> int:
    return await desk.rules.create(actor_id=admin.id, draft=RuleDraft(name or unique('Rule '), trigger, conditions,
                                                                      actions))


async def from_telegram(desk: Desk, chat_id: int, text: str = 'My printer is on fire') -> int:
    """A customer writes to the bot from a chat: the Telegram channel's own way in."""
    message = await desk.telegram.intake(chat_id=chat_id, from_name=unique('Tg '), text=text,
                                         message_ref=unique('m'))
    assert message is not None
    async with desk.worker.uow() as uow:
        return await uow.connection.scalar(select(Message.request_id).where(Message.id == message.id))


async def queue_with(desk: Desk, admin: UserRow, workflow: str) -> tuple[int, dict[str, int]]:
    """A new private queue on a shipped workflow, and that workflow's status ids by name."""
    shipped = next(w for w in await desk.queues.list_workflows(actor_id=admin.id) if w.name == workflow)
    queue_id = await desk.queues.create_queue(actor_id=admin.id, name=unique('Orders '), visibility='private',
                                              workflow_id=shipped.id)
    return queue_id, {status.name: status.id for status in shipped.statuses}


async def file_in(desk: Desk, queue_id: int, author: UserRow, status_id: int, *, channel: str = 'web',
                  title: str | None = None, **event_data: Any) -> int:
    """A request in any queue, with its 'request.created' event as a channel would write it."""
    async with desk.worker.uow(write=True) as uow:
        request_id = await uow.requests.add(queue_id=queue_id, title=title or unique('Order '), description='',
                                            status_id=status_id, author_id=author.id, channel=channel, closed=False)
        uow.events.add('request.created', actor_id=author.id, request_id=request_id, channel=channel, **event_data)
        await uow.commit()
    return request_id


async def record(desk: Desk, request_id: int) -> RequestRecord:
    async with desk.worker.uow() as uow:
        found = await uow.requests.record(request_id)
    assert found is not None
    return found


async def status_of(desk: Desk, request_id: int) -> str:
    found = await record(desk, request_id)
    async with desk.worker.uow() as uow:
        return next(s.name for s in await uow.workflows.statuses(found.workflow_id) if s.id == found.status_id)


async def timeline(desk: Desk, request_id: int, *kinds: str) -> list[EventRow]:
    staff = await make_user(desk, role='agent')
    events = await desk.tickets.timeline(viewer_id=staff.id, request_id=request_id)
    return [event for event in events if not kinds or event.kind in kinds]


async def jobs(desk: Desk, kind: str) -> list[JobRow]:
    async with desk.worker.uow() as uow:
        return [job for job in await uow.jobs.page(status=None, kind=kind, limit=500)]


async def count_events(desk: Desk, kind: str) -> int:
    async with desk.worker.uow() as uow:
        return await uow.connection.scalar(select(func.count()).select_from(Event).where(Event.kind == kind)) or 0


async def notes(desk: Desk, request_id: int) -> list[str]:
    async with desk.worker.uow() as uow:
        rows = await uow.connection.scalars(select(Message.body).where(Message.request_id == request_id,
                                                                    Message.kind == 'note'))
        return list(rows)


async def set_email(desk: Desk, user: UserRow, email: str) -> None:
    async with desk.worker.uow(write=True) as uow:
        await uow.connection.execute(update(User).where(User.id == user.id).values(email=email))
        await uow.commit()


async def unfinish(desk: Desk, kind: str) -> None:
    """As if the worker died after the job's work committed and before it was marked done: due again."""
    async with desk.worker.uow(write=True) as uow:
        await uow.connection.execute(update(Job).where(Job.kind == kind).values(status='pending', finished_at=None,
                                                                               next_attempt_at=utcnow()))
        await uow.commit()
