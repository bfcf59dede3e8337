"""Staff answers reach the Telegram chat through jobs: text and files, never notes, retried until Telegram is back."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from channels.telegram_api import BotApi
from channels.telegram_outbound import DELIVER_JOB, Outbound
from domain.desk import Desk
from domain.files import Upload
from domain.tickets.telegram import SEND_JOB
from domain.tickets.views import InboxQuery
from storage.model_automation import Job
from storage.rows import UserRow
from tests.channels.notify_steps import Clock
from tests.factories import make_user
from tests.fakes.telegram_api import FakeBotApi

CHAT = 424_242_001


@pytest.fixture
async def sending(desk: Desk, bot_client: BotApi, clock: Clock) -> Desk:
    """The desk with Telegram's job handlers, its worker on the test's clock (the test runs it)."""
    desk.worker.clock = clock.now
    Outbound(desk, bot_client).follow()
    return desk


async def telegram_ticket(desk: Desk, text: str = 'Where is my parcel?') -> tuple[int, UserRow]:
    """A customer writes from Telegram; returns their ticket and an agent."""
    await desk.telegram.intake(chat_id=CHAT, from_name='Grace', text=text, message_ref=1)
    agent = await make_user(desk, role='agent')
    ticket = (await desk.tickets.inbox(viewer_id=agent.id, query=InboxQuery(channel='telegram'))).rows[0].id
    return ticket, agent


async def jobs(desk: Desk) -> list[tuple[str, str, int]]:
    async with desk.database.connect() as connection:
        return [tuple(row) for row in await connection.execute(  # type: ignore[misc]
            select(Job.kind, Job.status, Job.attempts).where(Job.kind.in_((DELIVER_JOB, SEND_JOB))).order_by(Job.id))]


async def test_an_agents_reply_and_its_files_reach_the_chat_in_order(sending: Desk, bot_api: FakeBotApi) -> None:
    ticket, agent = await telegram_ticket(sending)
    files = [Upload('label.png', b'\x89PNG label', 'image/png'), Upload('invoice.pdf', b'%PDF-1.4', 'application/pdf')]
    await sending.tickets.reply(actor_id=agent.id, request_id=ticket, text='Here it is', files=files)
    await sending.worker.drain()
    assert [(s.chat_id, s.method, s.text, s.filename, s.data, s.content_type) for s in bot_api.sent] == [
        (str(CHAT), 'sendMessage', 'Here it is', '', b'', ''),
        (str(CHAT), 'sendPhoto', '', 'label.png', b'\x89PNG label', 'image/png'),
        (str(CHAT), 'sendDocument', '', 'invoice.pdf', b'%PDF-1.4', 'application/pdf')]
    assert {status for _kind, status, _attempts in await jobs(sending)} == {'done'}


async def test_notes_and_the_customers_own_messages_never_reach_the_chat(sending: Desk, bot_api: FakeBotApi) -> None:
    ticket, agent = await telegram_ticket(sending)
    await sending.tickets.reply(actor_id=agent.id, request_id=ticket, text='customer seems upset', note=True,
                                files=[Upload('notes.txt', b'internal', 'text/plain')])
    await sending.telegram.intake(chat_id=CHAT, from_name='Grace', text='hello?', message_ref=2)
    await sending.worker.drain()
    assert bot_api.sent == []
    assert [kind for kind, _status, _attempts in await jobs(sending)] == [DELIVER_JOB, DELIVER_JOB]  # the customer's


async def test_answers_to_customers_from_the_web_stay_on_the_desk(sending: Desk, bot_api: FakeBotApi) -> None:
    customer, agent = await make_user(sending), await make_user(sending, role='agent')
    await sending.support.write(actor_id=customer.id, text='from the website')
    ticket = (await sending.support.chat(viewer_id=customer.id)).open_ticket_id
    assert ticket is not None
    await sending.tickets.reply(actor_id=agent.id, request_id=ticket, text='answered on the web')
    await sending.worker.drain()
    assert bot_api.sent == []


@pytest.mark.parametrize('refuse', [True, False], ids=['port closed', 'answering 502'])
async def test_while_telegram_is_down_answers_wait_and_none_is_lost_or_repeated(sending: Desk, bot_api: FakeBotApi,
                                                                               clock: Clock, refuse: bool) -> None:
    ticket, agent = await telegram_ticket(sending)
    await bot_api.go_down(refuse=refuse)
    await sending.tickets.reply(actor_id=agent.id, request_id=ticket, text='first answer')
    await sending.tickets.reply(actor_id=agent.id, request_id=ticket, text='second answer')
    await sending.worker.drain()
    assert bot_api.sent == []
    assert [status for _kind, status, _attempts in await jobs(sending)] == ['done', 'pending', 'pending']
    await bot_api.come_back()
    clock.advance(3600)  # past any backoff
    await sending.worker.drain()
    assert sorted(bot_api.texts(CHAT)) == ['first answer', 'second answer']
    clock.advance(3600)
    await sending.worker.drain()
    assert len(bot_api.sent) == 2


async def test_a_part_that_failed_is_retried_alone(sending: Desk, bot_api: FakeBotApi, clock: Clock) -> None:
    ticket, agent = await telegram_ticket(sending)
    await sending.worker.drain()  # the customer's own message: nothing to send
    await sending.tickets.reply(actor_id=agent.id, request_id=ticket, text='see the file',
                                files=[Upload('report.pdf', b'%PDF-1.4 report', 'application/pdf')])
    await bot_api.go_down(refuse=False)
    await sending.worker.run_due()
    assert bot_api.sent == []
    await bot_api.come_back()
    clock.advance(3600)
    await sending.worker.run_due()  # the text goes out and queues the file
    await bot_api.go_down(refuse=False)
    await sending.worker.run_due()  # the file fails
    await bot_api.come_back()
    clock.advance(3600)
    await sending.worker.drain()
    assert [(s.method, s.text or s.filename) for s in bot_api.sent] == [
        ('sendMessage', 'see the file'), ('sendDocument', 'report.pdf')]


async def test_a_chat_that_blocked_the_bot_fails_the_job_without_retrying(sending: Desk, bot_api: FakeBotApi) -> None:
    ticket, agent = await telegram_ticket(sending)
    bot_api.blocked.add(str(CHAT))
    await sending.tickets.reply(actor_id=agent.id, request_id=ticket, text='are you there?')
    await sending.worker.drain()
    assert (await jobs(sending))[-1] == (DELIVER_JOB, 'failed', 1)
    assert bot_api.sent == []


async def test_a_long_answer_goes_out_in_pieces_telegram_accepts(sending: Desk, bot_api: FakeBotApi) -> None:
    ticket, agent = await telegram_ticket(sending)
    text = ''.join(str(n % 10) for n in range(10_000))  # the longest answer: three messages of at most 4,096
    await sending.tickets.reply(actor_id=agent.id, request_id=ticket, text=text)
    await sending.worker.drain()
    pieces = bot_api.texts(CHAT)
    assert [len(piece) for piece in pieces] == [4096, 4096, 10_000 - 2 * 4096]
    assert ''.join(pieces) == text
