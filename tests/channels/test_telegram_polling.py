"""Long polling against the fake Bot API: updates become messages, the offset is kept, an outage loses nothing."""

from __future__ import annotations

import asyncio

import pytest
from sqlalchemy import select

from channels.telegram_api import BotApi
from channels.telegram_intake import Intake, Poller
from domain.desk import Desk
from domain.files import MB
from storage.models import Attachment, Message
from tests.fakes.telegram_api import FakeBotApi
from tests.ui.steps import eventually

CHAT = 555_000_111


def quick(intake: Intake) -> Poller:
    """No waiting in the tests: getUpdates answers at once, and a failed try is retried within milliseconds."""
    return Poller(intake, timeout=0, backoff_base=0.01, backoff_cap=0.05)


async def bodies(desk: Desk) -> list[str]:
    async with desk.database.connect() as connection:
        return list(await connection.scalars(select(Message.body).order_by(Message.id)))


async def test_polled_messages_are_posted_and_the_offset_is_stored_after_the_batch(desk: Desk, bot_api: FakeBotApi,
                                                                                   bot_client: BotApi) -> None:
    bot_api.message(CHAT, 'Hello, my parcel is late', first_name='Grace', last_name='Hopper')
    bot_api.message(CHAT, 'This is the label', photo=b'the photo at full size', message_id=42)
    last = bot_api.message(CHAT, 'and the invoice', document=('invoice.pdf', b'%PDF-1.4 invoice', 'application/pdf'))
    poller = quick(Intake(desk, bot_client))

    assert await poller.poll_once() == 3
    assert await desk.telegram.cursor() == last['update_id'] + 1
    assert await bodies(desk) == ['Hello, my parcel is late', 'This is the label', 'and the invoice']
    async with desk.database.connect() as connection:
        files = (await connection.execute(select(Attachment.filename, Attachment.content_type, Attachment.size)
                                       .order_by(Attachment.id))).all()
    assert [tuple(row) for row in files] == [
        ('photo-42.jpg', 'image/jpeg', len(b'the photo at full size')),  # the largest of the sizes Telegram sent
        ('invoice.pdf', 'application/pdf', len(b'%PDF-1.4 invoice'))]
    assert await poller.poll_once() == 0
    assert bot_api.offsets[-1] == last['update_id'] + 1  # which also tells Telegram to forget the batch
    assert bot_api.updates == []


async def test_a_restart_resumes_from_the_stored_offset_and_a_repeated_update_is_posted_once(
        desk: Desk, bot_api: FakeBotApi, bot_client: BotApi) -> None:
    first = bot_api.message(CHAT, 'first')
    await quick(Intake(desk, bot_client)).poll_once()
    second = bot_api.message(CHAT, 'second')
    # The process handled `second` and died before storing the offset: Telegram hands it over again.
    await Intake(desk, bot_client).receive(second)
    third = bot_api.message(CHAT, 'third')

    restarted = quick(Intake(desk, bot_client))
    assert await restarted.poll_once() == 2
    assert bot_api.offsets[-1] == first['update_id'] + 1
    assert await bodies(desk) == ['first', 'second', 'third']
    assert await desk.telegram.cursor() == third['update_id'] + 1


@pytest.mark.parametrize('refuse', [True, False], ids=['port closed', 'answering 502'])
async def test_while_telegram_is_down_polling_backs_off_and_then_loses_nothing(desk: Desk, bot_api: FakeBotApi,
                                                                              bot_client: BotApi,
                                                                              refuse: bool) -> None:
    poller = quick(Intake(desk, bot_client))
    poller.start()
    try:
        bot_api.message(CHAT, 'before')
        await eventually(lambda: _has(desk, 'before'))
        await bot_api.go_down(refuse=refuse)
        bot_api.message(CHAT, 'while down 1')  # they wait at Telegram
        bot_api.message(CHAT, 'while down 2')
        await eventually(lambda: poller.failures >= 3)
        assert await bodies(desk) == ['before']
        await bot_api.come_back()
        await eventually(lambda: _has(desk, 'while down 2'))
        await eventually(lambda: poller.failures == 0)
    finally:
        await poller.stop()
    assert await bodies(desk) == ['before', 'while down 1', 'while down 2']


async def _has(desk: Desk, body: str) -> bool:
    return body in await bodies(desk)


async def test_updates_without_a_customers_text_or_file_or_malformed_are_passed_over(desk: Desk, bot_api: FakeBotApi,
                                                                       bot_client: BotApi) -> None:
    chat = {'id': CHAT, 'type': 'private', 'first_name': 'Grace'}
    bot_api.push({'message': {'message_id': 1, 'chat': chat, 'sticker': {'file_id': 's'}}})
    bot_api.push({'message': {'message_id': 2, 'chat': chat, 'from': {'is_bot': True}, 'text': 'a bot'}})
    bot_api.push({'edited_message': {'message_id': 3, 'chat': chat, 'text': 'edited'}})
    bot_api.push({'message': {'message_id': 4, 'chat': chat, 'photo': [{'file_id': 'p', 'width': 'wide'}]}})
    bot_api.message(CHAT, '/start')  # the "Start" button
    last = bot_api.message(CHAT, 'a real question')
    assert await quick(Intake(desk, bot_client)).poll_once() == 6  # the malformed one is logged, not retried
    assert await bodies(desk) == ['a real question']
    assert await desk.telegram.cursor() == last['update_id'] + 1


async def test_a_file_over_the_limit_is_not_downloaded_and_is_named_in_the_message(desk: Desk, bot_api: FakeBotApi,
                                                                                    bot_client: BotApi) -> None:
    bot_api.push({'message': {'message_id': 7, 'chat': {'id': CHAT, 'type': 'private', 'first_name': 'Grace'},
                              'caption': 'the logs',
                              'document': {'file_id': 'big', 'file_name': 'logs.zip', 'file_size': 50 * MB}}})
    await quick(Intake(desk, bot_client)).poll_once()
    assert await bodies(desk) == ['the logs\n\n[Not attached: "logs.zip" is larger than 10.0 MB.]']
    assert 'getFile' not in bot_api.calls


async def test_a_stopped_poller_ends_its_long_poll(desk: Desk, bot_api: FakeBotApi, bot_client: BotApi) -> None:
    poller = Poller(Intake(desk, bot_client), timeout=30)
    poller.start()
    await eventually(lambda: 'getUpdates' in bot_api.calls)
    await asyncio.wait_for(poller.stop(), timeout=2)  # cancelled, not waiting out Telegram's 30 s
