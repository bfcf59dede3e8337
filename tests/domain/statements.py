"""The SQL statements a piece of domain work sends: for tests that guard how many round trips a hot path takes."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import event

from domain.desk import Desk


@contextmanager
def sent(desk: Desk) -> Iterator[list[str]]:
    """Every statement sent while inside, first line only (BEGIN and COMMIT are not statements here)."""
    statements: list[str] = []

    def note(_connection: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        statements.append(statement.strip().splitlines()[0])

    engine = desk.database.engine.sync_engine  # type: ignore[union-attr]
    event.listen(engine, 'before_cursor_execute', note)
    try:
        yield statements
    finally:
        event.remove(engine, 'before_cursor_execute', note)


def message_added(desk: Desk, words: int = 2) -> list[list[str]]:
    """The first words of the statements that add a message, its conversation's count and every participant's
    read marker: one statement on PostgreSQL (storage.conversations), three on SQLite."""
    if not desk.database.is_sqlite:
        return [['WITH', 'added', 'AS'][:words]]
    return [['INSERT', 'INTO', 'messages'][:words], ['UPDATE', 'conversations', 'SET'][:words],
            ['UPDATE', 'read_markers', 'SET'][:words]]
