"""Times on the pages are in the viewer's zone: the browser's, asked once, or the one chosen on the profile."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from nicegui import ui
from nicegui.testing import User

from domain.desk import Desk
from tests.factories import make_request
from tests.ui.steps import ZONE_QUESTION, answer_time_zone, eventually, send, signed_in
from ui.when import Moment


def moments(user: User) -> list[Moment]:
    return [element for element in user.find(kind=Moment).elements]


async def open_profile(user: User) -> None:
    """Open the profile and wait for its last part, read from the database after the time zone's."""
    await user.open('/profile')
    await user.should_see(marker='email-notifications')


async def created_title(user: User, desk: Desk, zone: str) -> str:
    """What the request page's "Created" time says on hover, for a new request of the signed-in user."""
    account = await signed_in(user, desk)
    request_id = await make_request(desk, account, title='Clock check')
    view = await desk.requests.open(viewer_id=account.id, request_id=request_id)
    shown = view.request.created_at.astimezone(ZoneInfo(zone))
    await user.open(f'/requests/{request_id}')
    await user.should_see('Responses (0)')  # the last part of the page, read from the database after the rest
    return f'{shown:%Y-%m-%d %H:%M} ({zone})'  # to the minute: seconds would change the page on every message


async def test_times_are_shown_in_the_zone_the_browser_reports(user: User, running_desk: Desk) -> None:
    answer_time_zone(user, 'Asia/Tokyo')
    expected = await created_title(user, running_desk, 'Asia/Tokyo')
    await eventually(lambda: any(m.props.get('title') == expected for m in moments(user)))


async def test_the_browser_is_asked_once_and_its_answer_kept_for_the_next_pages(user: User,
                                                                              running_desk: Desk) -> None:
    asked: list[str] = []
    user.javascript_rules[ZONE_QUESTION] = lambda _match: asked.append('zone') or 'Europe/Moscow'
    await signed_in(user, running_desk)
    await eventually(lambda: asked == ['zone'])
    await user.open('/requests')
    await open_profile(user)
    await user.should_see('Times are shown in Europe/Moscow.')
    assert asked == ['zone']


async def test_a_zone_chosen_on_the_profile_wins_over_the_browser(user: User, running_desk: Desk) -> None:
    answer_time_zone(user, 'Asia/Tokyo')
    account = await signed_in(user, running_desk)
    await open_profile(user)
    await user.should_see('Times are shown in Asia/Tokyo.')
    user.find(marker='time-zone').elements.pop().set_value('America/New_York')
    await eventually(async_zone_is(running_desk, account.id, 'America/New_York'))
    await open_profile(user)
    await user.should_see('Times are shown in America/New_York.')
    user.find(marker='time-zone').elements.pop().set_value('')  # back to "From the browser"
    await eventually(async_zone_is(running_desk, account.id, None))
    await open_profile(user)
    await user.should_see('Times are shown in Asia/Tokyo.')


def async_zone_is(desk: Desk, user_id: int, zone: str | None):
    async def check() -> bool:
        found = await desk.accounts.get(user_id)
        return found is not None and found.time_zone == zone
    return check


async def test_a_browser_that_names_an_unknown_zone_leaves_utc(user: User, running_desk: Desk) -> None:
    answer_time_zone(user, 'Mars/Olympus')
    await signed_in(user, running_desk)
    await open_profile(user)
    await user.should_see('Times are shown in UTC.')
    await user.should_see(kind=ui.select, marker='time-zone')


async def test_relative_times_tick_as_time_passes(user: User, running_desk: Desk, monkeypatch) -> None:
    """One loop reads every tab's recent times again: "just now" becomes "5 min ago" without a reload."""
    from datetime import timedelta

    from ui import when
    monkeypatch.setattr(when, 'TICK', 0.05)
    answer_time_zone(user, 'UTC')
    account = await signed_in(user, running_desk)
    request_id = await make_request(running_desk, account, title='Clock check')
    await user.open(f'/requests/{request_id}')
    await user.should_see('Responses (0)')
    await user.should_see('just now')
    title = next(m.props['title'] for m in moments(user) if m.text == 'just now')
    started = when.now()
    monkeypatch.setattr(when, 'clock', lambda: started + timedelta(minutes=5, seconds=10))
    await user.should_see('5 min ago')
    assert any(m.text == '5 min ago' and m.props['title'] == title for m in moments(user))  # the exact time stays
    with user:  # one loop for the process: no timer per tab, nor per label
        assert not [element for element in user.current_layout.descendants() if isinstance(element, ui.timer)]


async def test_message_stamps_tick_too(user: User, running_desk: Desk, monkeypatch) -> None:
    from datetime import timedelta

    from ui import when
    from ui.components.message_block import MessageBlock
    monkeypatch.setattr(when, 'TICK', 0.05)
    answer_time_zone(user, 'UTC')
    await signed_in(user, running_desk)
    await user.open('/support')
    await user.should_see('Write your question below; the support team answers here.')
    send(user, 'Tick tock')
    await user.should_see(kind=MessageBlock, content='Tick tock')
    block = user.find(kind=MessageBlock).elements.pop()
    assert 'just now' in block.content
    started = when.now()
    monkeypatch.setattr(when, 'clock', lambda: started + timedelta(minutes=7, seconds=5))
    await eventually(lambda: '7 min ago' in block.content)  # what the browser was sent, not only what it would say


async def test_the_jobs_and_audit_pages_name_the_zone_their_times_are_in(user: User, running_desk: Desk) -> None:
    answer_time_zone(user, 'Asia/Tokyo')
    await signed_in(user, running_desk, role='admin')
    await user.open('/admin/jobs')
    await user.should_see('Times are in Asia/Tokyo.')
    await user.open('/admin/audit')
    await user.should_not_see('Time (UTC)')  # the times below are the viewer's own, not UTC
