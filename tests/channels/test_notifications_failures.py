"""Notifications when the outside fails: retried while a server is down, delivered once when it is back."""

from __future__ import annotations

import asyncio

import pytest

from channels.email import EmailChannel
from domain.desk import Desk
from domain.jobs.worker import Worker
from settings import load_settings
from storage.jobs import JobRow
from tests.channels.notify_steps import Clock, address, jobs, next_status, opt_in
from tests.factories import make_request, make_user
from tests.fakes.slack import FakeSlack
from tests.fakes.smtp import SmtpServer

ROUND = 15 * 60  # longer than any backoff of the first attempts: every job waiting to retry is due again


async def test_with_the_servers_down_for_a_while_each_notification_arrives_once_when_they_are_back(
        notifying: Desk, smtp: SmtpServer, slack: FakeSlack, clock: Clock) -> None:
    desk = notifying
    agent = await make_user(desk, role='agent')
    authors = [await make_user(desk) for _ in range(3)]
    requests = []
    for author in authors:
        await opt_in(desk, author)
        requests.append(await make_request(desk, author))
    smtp.stop()
    slack.answer = 500
    for request_id in requests:
        await next_status(desk, agent, request_id)
        await next_status(desk, agent, request_id)  # two changes: two mails to each author

    for _ in range(3):  # three rounds of attempts while both are down
        await desk.worker.drain()
        clock.advance(ROUND)
    waiting = await jobs(desk, 'email.send') + await jobs(desk, 'slack.post')
    assert len(waiting) == 3 * 2 + 2 * 3 and {job.status for job in waiting} == {'pending'}
    assert all(job.attempts == 3 and job.last_error for job in waiting)
    assert smtp.mailbox.messages == [] and slack.posts == [] and slack.attempts == 6 * 3

    smtp.start()
    slack.answer = 200
    await desk.worker.drain()
    clock.advance(ROUND)
    await desk.worker.drain()
    for author in authors:
        assert len(smtp.mailbox.to(address(author))) == 2
    assert len(smtp.mailbox.messages) == 6 and smtp.mailbox.duplicates() == {}
    assert len(slack.posts) == 6 and len(set(slack.texts)) == 6
    done = await jobs(desk, 'email.send') + await jobs(desk, 'slack.post')
    assert {job.status for job in done} == {'done'} and all(job.last_error is None for job in done)


async def test_a_refused_recipient_fails_the_job_at_once_with_the_servers_answer(
        notifying: Desk, smtp: SmtpServer) -> None:
    desk = notifying
    author, agent = await make_user(desk), await make_user(desk, role='agent')
    await opt_in(desk, author)
    smtp.mailbox.refused.add(address(author).lower())
    await next_status(desk, agent, await make_request(desk, author))
    await desk.worker.drain()
    [job] = await jobs(desk, 'email.send')
    assert job.status == 'failed' and job.attempts == 1
    to = address(author)
    assert job.last_error == f'PermanentError: {to} refused: 550 5.1.1 <{to}>: no such user here'
    assert smtp.mailbox.messages == []


async def test_a_removed_slack_webhook_fails_the_post_and_a_busy_slack_is_retried(
        notifying: Desk, slack: FakeSlack, clock: Clock) -> None:
    desk = notifying
    author = await make_user(desk)
    request_id = await make_request(desk, author)
    slack.answer = 404
    await next_status(desk, author, request_id)
    await desk.worker.drain()
    [removed] = await jobs(desk, 'slack.post')
    assert removed.status == 'failed' and removed.last_error == 'PermanentError: Slack answered 404: no_service'

    slack.answer = 429
    await next_status(desk, author, request_id)
    await desk.worker.drain()
    busy = [job for job in await jobs(desk, 'slack.post') if job.id != removed.id]
    assert [job.status for job in busy] == ['pending'] and 'Slack answered 429' in (busy[0].last_error or '')
    slack.answer = 200
    clock.advance(ROUND)
    await desk.worker.drain()
    assert len(slack.posts) == 1


async def test_a_mail_sent_again_after_its_worker_died_keeps_its_message_id(
        notifying: Desk, smtp: SmtpServer, clock: Clock) -> None:
    desk = notifying
    author, agent = await make_user(desk), await make_user(desk, role='agent')
    await opt_in(desk, author)
    await next_status(desk, agent, await make_request(desk, author))
    await desk.worker.run_due()  # the follower queues the mail
    smtp_settings = load_settings().smtp
    assert smtp_settings is not None
    mailer = EmailChannel(smtp_settings)

    async def send_then_die(job: JobRow) -> None:
        await mailer.handle(job)
        raise asyncio.CancelledError  # the process is killed after the server took the mail, before "done"

    dying = Worker(desk.worker.uow, lease=60, clock=clock.now)
    dying.handle('email.send', send_then_die)
    with pytest.raises(asyncio.CancelledError):
        await dying.run_due()
    await mailer.close()
    await desk.worker.drain()  # its lease still holds the job
    [job] = await jobs(desk, 'email.send')
    assert job.status == 'running' and len(smtp.mailbox.messages) == 1

    clock.advance(61)
    await desk.worker.drain()
    first, again = smtp.mailbox.to(address(author))
    assert first['Message-ID'] == again['Message-ID'] and first['Message-ID'].endswith('@switchboard.test>')
    [job] = await jobs(desk, 'email.send')
    assert job.status == 'done' and job.attempts == 2


async def test_a_kept_connection_the_server_dropped_is_replaced_without_a_failed_attempt(
        notifying: Desk, smtp: SmtpServer) -> None:
    desk = notifying
    author, agent = await make_user(desk), await make_user(desk, role='agent')
    await opt_in(desk, author)
    request_id = await make_request(desk, author)
    await next_status(desk, agent, request_id)
    await desk.worker.drain()  # the connection stays open for the next mail
    smtp.stop()
    smtp.start()  # a restart: the kept connection is gone
    await next_status(desk, agent, request_id)
    await desk.worker.drain()
    assert len(smtp.mailbox.to(address(author))) == 2
    assert [(job.status, job.attempts) for job in await jobs(desk, 'email.send')] == [('done', 1), ('done', 1)]
