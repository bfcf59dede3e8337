"""Notifications: a change emails the people involved who asked for it (never its maker); Slack hears of it."""

from __future__ import annotations

import pytest
from fastapi import FastAPI

from channels.notify import install_notifications
from domain.desk import Desk
from domain.errors import InvalidInput
from settings import load_settings
from tests.channels.notify_steps import address, jobs, next_status, opt_in
from tests.factories import make_request, make_user
from tests.fakes.slack import FakeSlack
from tests.fakes.smtp import SmtpServer


async def test_a_status_change_emails_the_author_who_opted_in_exactly_once(notifying: Desk, smtp: SmtpServer,
                                                                          slack: FakeSlack) -> None:
    desk = notifying
    author, agent = await make_user(desk), await make_user(desk, role='agent')
    await opt_in(desk, author)
    await opt_in(desk, agent)  # asked for it too, but made the change: nothing to tell them
    request_id = await make_request(desk, author, title='Broken <b>printer</b> & fax')
    status = await next_status(desk, agent, request_id)
    await desk.worker.drain()
    await desk.worker.drain()  # nothing is left to send twice

    [mail] = smtp.mailbox.to(address(author))
    assert mail['Subject'] == f'Request #{request_id} "Broken <b>printer</b> & fax" is now {status}'
    assert f'{agent.display_name} changed the status of request #{request_id}' in mail.get_content()
    assert mail['From'] == 'Switchboard <desk@switchboard.test>' and mail['Auto-Submitted'] == 'auto-generated'
    assert smtp.mailbox.to(address(agent)) == [] and len(smtp.mailbox.messages) == 1
    [text] = slack.texts
    assert text == (f'{agent.display_name} changed the status of request #{request_id} '
                    f'"Broken &lt;b&gt;printer&lt;/b&gt; &amp; fax" from Open to {status}.')
    assert {job.status for job in await jobs(desk, 'email.send')} == {'done'}


async def test_only_people_who_opted_in_are_emailed_and_the_assignee_is_one_of_them(notifying: Desk,
                                                                                  smtp: SmtpServer) -> None:
    desk = notifying
    customer, anna, boris = await make_user(desk), await make_user(desk, role='agent'), await make_user(desk,
                                                                                                         role='admin')
    await desk.preferences.set_notifications(actor_id=customer.id, email=address(customer), events=[])
    await opt_in(desk, anna, 'status.changed', 'assigned')
    await opt_in(desk, boris, 'status.changed', 'assigned')
    await desk.support.write(actor_id=customer.id, text='My order never came')
    ticket_id = (await desk.support.chat(viewer_id=customer.id)).open_ticket_id
    assert ticket_id is not None
    await desk.tickets.assign(actor_id=boris.id, request_id=ticket_id, assignee_id=anna.id)
    await next_status(desk, boris, ticket_id)
    await desk.worker.drain()

    assert smtp.mailbox.to(address(customer)) == []  # has an address, chose no events
    assert smtp.mailbox.to(address(boris)) == []  # made both changes
    assigned, changed = sorted(smtp.mailbox.to(address(anna)), key=lambda mail: 'status' in mail.get_content())
    assert assigned['Subject'] == f'Request #{ticket_id} "My order never came" was assigned to you'
    assert f'{boris.display_name} assigned request #{ticket_id}' in assigned.get_content()
    assert 'changed the status' in changed.get_content()


async def test_the_mail_speaks_the_recipients_language(notifying: Desk, smtp: SmtpServer) -> None:
    desk = notifying
    author, agent = await make_user(desk), await make_user(desk, role='agent')
    await desk.accounts.set_preferences(author.id, locale='ru')
    await opt_in(desk, author)
    request_id = await make_request(desk, author, title='Принтер')
    await next_status(desk, agent, request_id)
    await desk.worker.drain()
    [mail] = smtp.mailbox.to(address(author))
    assert mail['Subject'] == f'Заявка #{request_id} «Принтер»: теперь В работе'
    assert 'было Открыта, стало В работе' in mail.get_content()


async def test_a_deactivated_user_gets_nothing(notifying: Desk, smtp: SmtpServer) -> None:
    desk = notifying
    author, admin = await make_user(desk), await make_user(desk, role='admin')
    await opt_in(desk, author)
    request_id = await make_request(desk, author)
    await desk.users.set_active(actor_id=admin.id, user_id=author.id, active=False)
    await next_status(desk, admin, request_id)
    await desk.worker.drain()
    [followed] = await jobs(desk, 'notify.status')
    assert followed.status == 'done' and smtp.mailbox.messages == []


async def test_the_mail_settings_are_checked(desk: Desk) -> None:
    user = await make_user(desk)
    with pytest.raises(InvalidInput, match='not an email address') as bad:
        await desk.preferences.set_notifications(actor_id=user.id, email='anna at example', events=[])
    assert bad.value.field == 'email'
    with pytest.raises(InvalidInput, match='Enter the email address'):
        await desk.preferences.set_notifications(actor_id=user.id, email=' ', events=['status.changed'])
    with pytest.raises(InvalidInput, match='Unknown kind'):
        await desk.preferences.set_notifications(actor_id=user.id, email='a@example.com', events=['everything'])
    await desk.preferences.set_notifications(actor_id=user.id, email=' anna@example.com ',
                                             events=['assigned', 'status.changed', 'assigned'])
    choices = await desk.preferences.notifications(actor_id=user.id)
    assert choices.email == 'anna@example.com' and choices.events == ('status.changed', 'assigned')


async def test_without_smtp_or_slack_settings_nothing_is_followed(desk: Desk, app_env: object,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ('SMTP_HOST', 'SLACK_WEBHOOK_URL'):
        monkeypatch.delenv(name, raising=False)
    kinds = desk.worker.kinds
    install_notifications(FastAPI(), desk, load_settings())
    author = await make_user(desk)
    await opt_in(desk, author)
    await next_status(desk, author, await make_request(desk, author))
    assert desk.worker.kinds == kinds and await jobs(desk, 'notify.status') == []


def test_the_smtp_settings_follow_the_environment(app_env: object, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv('SMTP_HOST', 'mail.example.com')
    monkeypatch.setenv('SMTP_TLS', 'starttls')
    monkeypatch.setenv('SMTP_FROM', 'desk@example.com')
    smtp = load_settings().smtp
    assert smtp is not None and (smtp.port, smtp.tls, smtp.user) == (587, 'starttls', None)
    monkeypatch.setenv('SMTP_TLS', 'ssl')
    with pytest.raises(ValueError, match='SMTP_TLS'):
        load_settings()
    monkeypatch.setenv('SMTP_TLS', 'tls')
    monkeypatch.setenv('SMTP_FROM', '')
    with pytest.raises(ValueError, match='SMTP_FROM'):
        load_settings()
    monkeypatch.setenv('SLACK_WEBHOOK_URL', 'hooks.slack.example/x')
    monkeypatch.setenv('SMTP_FROM', 'desk@example.com')
    with pytest.raises(ValueError, match='SLACK_WEBHOOK_URL'):
        load_settings()
