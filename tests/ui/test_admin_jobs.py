"""Admin → Jobs in the simulated browser: a failed job shows its error, "Retry" queues it again; agents are refused."""

from __future__ import annotations

import pytest
from nicegui import ui
from nicegui.testing import User

from domain.desk import Desk
from storage.jobs import JobRow
from tests.factories import unique
from tests.ui.steps import eventually, signed_in
from ui.translations import RU

ERROR = 'mail server said 554: no such mailbox'


@pytest.fixture(autouse=True)
def calm_refresh(monkeypatch: pytest.MonkeyPatch) -> None:
    """No timed re-reads unless a test asks: one cut short by the app's shutdown could strand a connection."""
    monkeypatch.setattr('ui.pages.admin_jobs.REFRESH_SECONDS', 3600.0)


async def failed_job(desk: Desk, monkeypatch: pytest.MonkeyPatch) -> None:
    """A job whose one attempt failed, run by the test: the app's worker idles, so jobs stay as the test leaves them.

    (Idling rather than stopping it: cancelling the worker in the middle of a read can strand a connection.)
    """
    run_due = desk.worker.run_due

    async def idle() -> int:
        return 0

    monkeypatch.setattr(desk.worker, 'run_due', idle)

    async def refuse(job: JobRow) -> None:
        raise ConnectionError(ERROR)

    desk.worker.handle('test.mail', refuse)
    async with desk.worker.uow(write=True) as uow:
        await uow.jobs.add('test.mail', {'to': 'ann@example.com'}, dedup_key=unique('mail:'), max_attempts=1)
        await uow.commit()
    while await run_due():
        pass


async def test_an_admin_sees_a_failed_job_with_its_error_and_retries_it(user: User, running_desk: Desk,
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    await failed_job(running_desk, monkeypatch)
    admin = await signed_in(user, running_desk, role='admin')
    [job] = (await running_desk.jobs.list(actor_id=admin.id, kind='test.mail')).rows
    await user.open('/admin/jobs')
    await user.should_see(marker=f'job-{job.id}-status', content='Failed')
    await user.should_see(f'ConnectionError: {ERROR}')
    failed = (await running_desk.jobs.overview(actor_id=admin.id)).counts['failed']  # other features' jobs too
    await user.should_see(marker='jobs-failed', content=f'Failed · {failed}')

    user.find(marker=f'job-{job.id}-retry').click()
    await user.should_see(f'Job #{job.id} is queued again.')
    await user.should_see(marker=f'job-{job.id}-status', content='Pending')
    await user.should_not_see(marker=f'job-{job.id}-retry')
    await user.should_see(marker='jobs-failed', content=f'Failed · {failed - 1}')
    [again] = (await running_desk.jobs.list(actor_id=admin.id, kind='test.mail')).rows
    assert (again.status, again.attempts) == ('pending', 0)


async def test_the_status_filter_shows_only_that_status(user: User, running_desk: Desk,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    await failed_job(running_desk, monkeypatch)
    admin = await signed_in(user, running_desk, role='admin')
    async with running_desk.worker.uow(write=True) as uow:
        await uow.jobs.add('test.later', {}, dedup_key=unique('later:'))
        await uow.commit()
    [failed] = (await running_desk.jobs.list(actor_id=admin.id, kind='test.mail')).rows
    [pending] = (await running_desk.jobs.list(actor_id=admin.id, kind='test.later')).rows
    await user.open('/admin/jobs')
    await user.should_see(marker=f'job-{pending.id}')
    user.find(marker='jobs-failed').click()
    await user.should_not_see(marker=f'job-{pending.id}')
    await user.should_see(marker=f'job-{failed.id}')
    await eventually(lambda: user.find(marker='jobs-failed').elements.pop().props.get('aria-pressed') == 'true')


async def test_the_page_shows_what_workers_did_without_a_click(user: User, running_desk: Desk,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr('ui.pages.admin_jobs.REFRESH_SECONDS', 0.2)
    await failed_job(running_desk, monkeypatch)
    admin = await signed_in(user, running_desk, role='admin')
    await user.open('/admin/jobs')
    await user.should_see(marker='job-list')
    async with running_desk.worker.uow(write=True) as uow:
        await uow.jobs.add('test.later', {}, dedup_key=unique('later:'))
        await uow.commit()
    [later] = (await running_desk.jobs.list(actor_id=admin.id, kind='test.later')).rows
    await user.should_see(marker=f'job-{later.id}-status', content='Pending')
    timer = user.find(marker='jobs-timer').elements.pop()
    assert isinstance(timer, ui.timer)
    timer.deactivate()
    await eventually(lambda: timer._current_invocation is None or timer._current_invocation.done())


async def test_agents_are_refused_the_jobs_page(user: User, running_desk: Desk) -> None:
    await signed_in(user, running_desk, role='agent')
    await user.open('/admin/jobs')
    await user.should_see('You do not have access to this page.')
    await user.should_not_see(marker='job-list')


def test_job_states_and_columns_have_russian() -> None:
    from ui.components.job_row import HEADINGS, STATUS_NAMES
    assert [text for text in [*STATUS_NAMES.values(), *HEADINGS] if text and text not in RU] == []
