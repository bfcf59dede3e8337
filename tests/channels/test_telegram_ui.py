"""The Telegram bot in the running app: a chat's message shows up live in an agent's inbox, the reply goes back."""

from __future__ import annotations

from pathlib import Path

import pytest

from domain.desk import Desk
from tests.fakes.telegram_api import FakeBotApi
from tests.ui.steps import eventually, open_row, send, signed_in
from ui.components.desk_row import DeskRowView
from ui.components.message_block import MessageBlock

CHAT = 911_000_222


@pytest.fixture
def telegram_env(bot_api: FakeBotApi, app_env: Path, monkeypatch: pytest.MonkeyPatch) -> FakeBotApi:
    """main.py turns the bot on, polling the fake Bot API (request it before `user`)."""
    monkeypatch.setenv('TELEGRAM_BOT_TOKEN', bot_api.token)
    monkeypatch.setenv('TELEGRAM_API_URL', bot_api.base_url)
    return bot_api


async def test_a_telegram_message_appears_live_in_the_agents_inbox_and_the_reply_reaches_the_chat(
        telegram_env: FakeBotApi, create_user, running_desk: Desk) -> None:
    bot_api = telegram_env
    agent_tab = create_user()
    await signed_in(agent_tab, running_desk, role='agent')
    await agent_tab.open('/inbox')
    await agent_tab.should_see('No tickets match.')

    bot_api.message(CHAT, 'My parcel never arrived', first_name='Grace', last_name='Hopper')
    await agent_tab.should_see(kind=DeskRowView, content='My parcel never arrived')  # without reloading
    await agent_tab.should_see('Grace Hopper')
    await agent_tab.should_see(marker='count-open', content='All open · 1')

    await open_row(agent_tab, 'My parcel never arrived')
    await agent_tab.should_see('Add internal note')
    send(agent_tab, 'Only for us: check the courier', button='Add internal note')
    await agent_tab.should_see(kind=MessageBlock, content='Only for us: check the courier')
    send(agent_tab, 'We are sending a new one today.', button='Reply')
    await eventually(lambda: bot_api.texts(CHAT) == ['We are sending a new one today.'])  # the app's own worker

    bot_api.message(CHAT, 'Thank you!')
    await agent_tab.should_see(kind=MessageBlock, content='Thank you!')  # the ticket page, live as well
    assert bot_api.texts(CHAT) == ['We are sending a new one today.']  # the note never went out
