"""A desk row: how long ago, said shortly, and one element per row as the table's rows were."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from ui.components.desk_row import since

NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)


@pytest.mark.parametrize(('ago', 'shown'), [
    (timedelta(seconds=0), 'now'), (timedelta(seconds=59), 'now'), (timedelta(minutes=1), '1 min'),
    (timedelta(minutes=59, seconds=59), '59 min'), (timedelta(hours=1), '1 h'), (timedelta(hours=23), '23 h'),
    (timedelta(days=1), '1 d'), (timedelta(days=6, hours=23), '6 d'), (timedelta(days=7), '2026-02-22'),
    (timedelta(seconds=-30), 'now'),  # another machine's clock a little ahead
])
def test_since_says_how_long_ago_in_few_characters(ago: timedelta, shown: str) -> None:
    assert since(NOW - ago, NOW) == shown


def test_since_takes_a_time_without_zone_as_utc() -> None:
    assert since((NOW - timedelta(hours=2)).replace(tzinfo=None), NOW) == '2 h'
