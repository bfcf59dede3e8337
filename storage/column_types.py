"""Column types both databases share: ids, and UTC datetimes that stay aware on SQLite too."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import BigInteger, DateTime, Integer
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeDecorator

# BIGINT ids on PostgreSQL; SQLite only auto-increments a plain INTEGER PRIMARY KEY.
Id = BigInteger().with_variant(Integer, 'sqlite')


def utcnow() -> datetime:
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator[datetime]):
    """Timezone-aware UTC datetimes on both databases (SQLite drops the zone)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is not None and value.tzinfo is None:
            raise ValueError('naive datetime')
        return value.astimezone(UTC) if value is not None else None

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is not None and value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value

    def result_processor(self, dialect: Dialect, coltype: Any) -> Callable[[Any], Any] | None:
        if dialect.name == 'postgresql':  # timestamptz arrives with its zone: nothing to do for every row read
            return self.impl_instance.dialect_impl(dialect).result_processor(dialect, coltype)
        return super().result_processor(dialect, coltype)
