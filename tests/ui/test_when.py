"""Times as the viewer reads them: relative when recent, in the viewer's zone, in English and Russian."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from nicegui import ui
from nicegui.testing import User

from ui import i18n, when

NOW = datetime(2026, 3, 10, 12, 0, 30, tzinfo=UTC)  # 21:00 in Tokyo, 15:00 in Moscow


@pytest.fixture
def zone(monkeypatch: pytest.MonkeyPatch):
    def use(name: str, lang: str = 'en') -> None:
        monkeypatch.setattr(when, 'zone_name', lambda: name)
        monkeypatch.setattr(i18n, 'language', lambda: lang)
    return use


@pytest.mark.parametrize(('moment', 'english', 'russian'), [
    (datetime(2026, 3, 10, 12, 0, 0, tzinfo=UTC), 'just now', 'только что'),
    (datetime(2026, 3, 10, 11, 55, 0, tzinfo=UTC), '5 min ago', '5 мин назад'),
    (datetime(2026, 3, 10, 9, 0, 0, tzinfo=UTC), '3 h ago', '3 ч назад'),
    (datetime(2026, 3, 9, 20, 5, 0, tzinfo=UTC), 'yesterday, 23:05', 'вчера, 23:05'),  # 23:05 in Moscow
    (datetime(2026, 3, 1, 8, 0, 0, tzinfo=UTC), '2026-03-01 11:00', '2026-03-01 11:00'),
    (datetime(2026, 3, 12, 8, 0, 0, tzinfo=UTC), '2026-03-12 11:00', '2026-03-12 11:00'),  # a due time, ahead
])
def test_recent_times_are_relative_and_older_ones_local_dates(zone, moment: datetime, english: str,
                                                              russian: str) -> None:
    zone('Europe/Moscow')
    assert when.when(moment, at=NOW) == english
    zone('Europe/Moscow', 'ru')
    assert when.when(moment, at=NOW) == russian


def test_the_day_is_the_viewers_day(zone) -> None:
    moment = datetime(2026, 3, 10, 1, 0, 0, tzinfo=UTC)  # 11 h before NOW: the same day in UTC
    zone('UTC')
    assert when.when(moment, at=NOW) == '11 h ago'
    zone('America/Los_Angeles')  # 18:00 on the 9th there (summer time since the 8th), NOW is 05:00 on the 10th
    assert when.when(moment, at=NOW) == 'yesterday, 18:00'


def test_the_exact_time_names_the_zone_and_stored_naive_times_are_utc(zone) -> None:
    zone('Asia/Tokyo')
    assert when.exact(datetime(2026, 3, 10, 12, 0, 30)) == '2026-03-10 21:00:30 (Asia/Tokyo)'
    assert 'title="2026-03-10 21:00:30 (Asia/Tokyo)"' in when.when_html(NOW)


def test_an_unknown_zone_is_not_used() -> None:
    assert when.zone('Mars/Olympus') is None
    assert when.zone('../etc/passwd') is None
    assert when.zone('Europe/Berlin') is not None


async def test_a_time_shown_again_within_its_minute_sends_nothing(user: User, monkeypatch: pytest.MonkeyPatch) -> None:
    """A request's "Updated" is shown again in every open tab on each of its messages: only a visible change may
    cost an update to each of them (bench/live_load.py scenario 1 measured the difference)."""
    monkeypatch.setattr(when, 'now', lambda: NOW)
    shown: list[when.Moment] = []

    @ui.page('/moment')
    def page() -> None:
        shown.append(when.Moment(datetime(2026, 3, 10, 12, 0, 0, tzinfo=UTC)))

    await user.open('/moment')
    await user.should_see('just now')
    [moment] = shown
    sent: list[str] = []
    monkeypatch.setattr(moment, 'update', lambda: sent.append(moment.text))
    moment.show(datetime(2026, 3, 10, 12, 0, 20, tzinfo=UTC))  # the next message, in the same minute
    assert sent == []
    moment.show(datetime(2026, 3, 10, 12, 1, 0, tzinfo=UTC))  # a minute later: the title says so
    assert len(sent) >= 1 and moment.props['title'].startswith('2026-03-10 12:01')


async def test_a_time_made_for_one_tab_is_shown_in_another_only_in_the_same_language_and_zone(
        user: User, zone, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(when, 'now', lambda: NOW)
    shown: list[when.Moment] = []

    @ui.page('/moments')
    def page() -> None:
        for name, lang in (('Europe/Moscow', 'en'), ('Europe/Moscow', 'ru'), ('Asia/Tokyo', 'en')):
            zone(name, lang)
            shown.append(when.Moment(datetime(2026, 3, 9, 20, 5, 0, tzinfo=UTC)))

    await user.open('/moments')
    await user.should_see('yesterday, 23:05')
    assert [(moment.text, moment.props['title']) for moment in shown] == [
        ('yesterday, 23:05', '2026-03-09 23:05 (Europe/Moscow)'),
        ('вчера, 23:05', '2026-03-09 23:05 (Europe/Moscow)'),
        ('15 h ago', '2026-03-10 05:05 (Asia/Tokyo)')]
