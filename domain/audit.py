"""Admin → Audit log: every action read back from the append-only events — filtered, paged, exported as CSV."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import AsyncIterator, Iterable
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from domain import access
from domain.errors import InvalidInput
from domain.slices import Slice, bounded, sliced
from domain.text import storable
from storage.audit import AuditFilter, AuditRow
from storage.unit_of_work import UnitOfWork, UnitOfWorkFactory

BATCH = 500  # rows per read of an export: a big log streams out in steps and never sits in memory at once
CSV_HEADER = ('id', 'time_utc', 'actor', 'action', 'request_id', 'request_title', 'channel', 'before', 'after',
              'details')
# A spreadsheet runs a cell that starts like a formula; text people typed (titles, names) must stay text.
FORMULA_STARTS = ('=', '+', '-', '@', '\t', '\r')

# What anyone else is told (translated like every domain message).
ADMINS_ONLY = 'Only admins see the audit log.'


@dataclass(frozen=True)
class AuditQuery:
    """The filters as a page or a URL gives them; dates are UTC days, both inclusive, 'YYYY-MM-DD' or dates."""

    user_id: int | None = None
    kind: str = ''
    request_id: int | None = None
    date_from: date | str | None = None
    date_to: date | str | None = None
    username: str = ''  # the actor by name, as API clients may name them (any case)


@dataclass(frozen=True)
class AuditEntry:
    id: int
    created_at: datetime
    kind: str
    actor_id: int | None
    actor: str
    actor_username: str
    request_id: int | None
    request_title: str | None
    request_private: bool
    channel: str
    before: str | None  # None (and after None) when the action changed no value it records
    after: str | None
    details: str  # the rest of the event's data as key=value
    data: dict[str, Any]


class AuditService:
    def __init__(self, uow: UnitOfWorkFactory) -> None:
        self.uow = uow

    async def kinds(self, *, actor_id: int | None) -> list[str]:
        async with self.uow() as uow:
            await access.require_admin(uow, actor_id, ADMINS_ONLY)
            return await uow.audit.kinds()

    async def page(self, *, actor_id: int | None, query: AuditQuery = AuditQuery(), before_id: int | None = None,
                   limit: int = 50) -> Slice[AuditEntry]:
        """Newest first; `before_id` continues after the last row of the previous page."""
        where = checked(query)
        limit = bounded(limit)
        async with self.uow() as uow:
            await access.require_admin(uow, actor_id, ADMINS_ONLY)
            where = await _by_name(uow, where, query.username)
            rows = await uow.audit.page(where, before_id=before_id, limit=limit + 1)
            names = await uow.audit.usernames(_user_ids(rows))
        return sliced([entry(row, names) for row in rows], limit)

    async def export_csv(self, *, actor_id: int | None, query: AuditQuery = AuditQuery()) -> AsyncIterator[str]:
        """The filtered log as CSV text chunks; the filters and the actor are checked before the first chunk."""
        where = checked(query)
        async with self.uow() as uow:
            await access.require_admin(uow, actor_id, ADMINS_ONLY)
            where = await _by_name(uow, where, query.username)
        return self._chunks(actor_id, where)

    async def _chunks(self, actor_id: int | None, where: AuditFilter) -> AsyncIterator[str]:
        yield '\ufeff' + _csv_lines([CSV_HEADER])  # the mark lets spreadsheets read the file as UTF-8
        before_id: int | None = None
        while True:
            # One unit of work per batch: no connection stays open while a slow client reads the download.
            async with self.uow() as uow:
                await access.require_admin(uow, actor_id, ADMINS_ONLY)  # an admin demoted mid-export gets no more rows
                rows = await uow.audit.page(where, before_id=before_id, limit=BATCH)
            if rows:
                yield _csv_lines(_csv_fields(entry(row, {})) for row in rows)  # details: the data as JSON
            if len(rows) < BATCH:
                return
            before_id = rows[-1].id


def checked(query: AuditQuery) -> AuditFilter:
    """The filters as storage takes them, or InvalidInput naming the field that is wrong."""
    if query.request_id is not None and query.request_id < 1:
        raise InvalidInput('A request number is a whole number above zero.', field='request_id')
    first = _day(query.date_from, 'date_from')
    last = _day(query.date_to, 'date_to')
    if first and last and first > last:
        raise InvalidInput('The start date is after the end date.', field='date_to')
    kind = storable(query.kind).strip()[:32]
    return AuditFilter(actor_id=query.user_id, kind=kind or None, request_id=query.request_id,
                       since=datetime.combine(first, time(), UTC) if first else None,
                       until=datetime.combine(last + timedelta(days=1), time(), UTC) if last and last < date.max
                       else None)


async def _by_name(uow: UnitOfWork, where: AuditFilter, username: str) -> AuditFilter:
    """The filter on the actor named by username (who must exist), if one was given."""
    name = storable(username).strip()
    if not name:
        return where
    user = await uow.users.named(name)
    if user is None or (where.actor_id is not None and where.actor_id != user.id):
        raise InvalidInput('There is no user "{name}".', field='actor', name=name[:64])
    return replace(where, actor_id=user.id)


def _day(value: date | str | None, field: str) -> date | None:
    if value is None or isinstance(value, date):
        return value
    text = value.strip()
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise InvalidInput('Enter a date as YYYY-MM-DD.', field=field) from None


def entry(row: AuditRow, usernames: dict[int, str]) -> AuditEntry:
    before, after, rest = change(row.data)
    user_id = rest.get('user_id')
    if isinstance(user_id, int) and user_id in usernames:  # whom an admin action was about, by name
        rest = {('user' if key == 'user_id' else key): (usernames[user_id] if key == 'user_id' else value)
                for key, value in rest.items()}
    return AuditEntry(row.id, row.created_at, row.kind, row.actor_id, row.actor, row.actor_username, row.request_id,
                      row.request_title, row.request_private, row.channel, before, after, pairs(rest), row.data)


def _user_ids(rows: list[AuditRow]) -> list[int]:
    return [row.data['user_id'] for row in rows if isinstance(row.data.get('user_id'), int)]


def change(data: dict[str, Any]) -> tuple[str | None, str | None, dict[str, Any]]:
    """(before, after, the rest) of an event's data; before and after are None when it records no change.

    Events say what changed in one of four shapes: `from`/`to` (status, assignee, role), `before`/`after` whole
    records (a rule; None when created or deleted), `was` holding the old values of some keys next to their new
    ones (a queue's settings), or `was` next to a new `name` (a rename). Of records and settings, only the keys
    that differ are shown.
    """
    if 'from' in data or 'to' in data:
        return text(data.get('from')), text(data.get('to')), _without(data, 'from', 'to')
    if 'before' in data or 'after' in data:
        old, new = data.get('before'), data.get('after')
        rest = _without(data, 'before', 'after')
        if isinstance(old, dict) and isinstance(new, dict):
            changed = [key for key in {**old, **new} if old.get(key) != new.get(key)] or list(new)
            return pairs({key: old.get(key) for key in changed}), pairs({key: new.get(key) for key in changed}), rest
        return _record(old), _record(new), rest
    was = data.get('was')
    if isinstance(was, dict):
        changed = [key for key in was if was[key] != data.get(key)] or list(was)
        return (pairs({key: was[key] for key in changed}), pairs({key: data.get(key) for key in changed}),
                _without(data, 'was', *was))
    if 'was' in data and 'name' in data:
        return text(was), text(data['name']), _without(data, 'was', 'name')
    return None, None, data


def _record(value: Any) -> str:
    return pairs(value) if isinstance(value, dict) else text(value)


def pairs(values: dict[str, Any]) -> str:
    return ', '.join(f'{key}={text(value)}' for key, value in values.items())


def text(value: Any) -> str:
    if value is None:
        return ''
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False, separators=(',', ':'), default=str)


def _without(data: dict[str, Any], *keys: str) -> dict[str, Any]:
    return {key: value for key, value in data.items() if key not in keys}


def _csv_fields(item: AuditEntry) -> tuple[object, ...]:
    return (item.id, item.created_at.astimezone(UTC).isoformat(timespec='seconds'), _cell(item.actor_username),
            item.kind, item.request_id or '', _cell(item.request_title or ''), item.channel, _cell(item.before or ''),
            _cell(item.after or ''), json.dumps(item.data, ensure_ascii=False, sort_keys=True, default=str))


def _cell(value: str) -> str:
    return "'" + value if value.startswith(FORMULA_STARTS) else value


def _csv_lines(rows: Iterable[Iterable[object]]) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator='\r\n').writerows(rows)  # quotes commas, quotes and line breaks
    return buffer.getvalue()

