"""The header's unread badge, the user menu's language and theme, and the "My responses" page — live and remembered."""

from __future__ import annotations

from nicegui import ui
from nicegui.testing import User

from domain.desk import Desk
from tests.factories import make_request
from tests.ui.steps import account_menu, eventually, follow, open_request, send, signed_in
from ui.components.message_block import MessageBlock


async def test_the_unread_badge_counts_up_live_and_clears_when_read(create_user, running_desk: Desk) -> None:
    a, b = create_user(), create_user()
    author = await signed_in(a, running_desk)
    responder = await signed_in(b, running_desk)
    request_id = await make_request(running_desk, author, title='Borrow a drill')
    await a.open('/requests')
    await a.should_see('New request')
    await open_request(b, request_id)
    send(b, 'Here is mine')
    await a.should_see(marker='unread-badge', content='1')  # live, on another page
    await a.open('/responses')
    await a.should_see('Responses to my requests')
    await a.should_see(kind=ui.link, content='Borrow a drill')
    a.find(kind=ui.link, content='Borrow a drill').click()
    await a.should_see('Responses (1)')
    a.find(marker=f'response-from-{responder.id}').click()
    await a.should_see(kind=MessageBlock, content='Here is mine')
    await a.should_not_see(marker='unread-badge', content='1')


async def test_my_responses_shows_a_badge_where_the_author_answered(create_user, running_desk: Desk) -> None:
    a, b = create_user(), create_user()
    author = await signed_in(a, running_desk)
    await signed_in(b, running_desk)
    request_id = await make_request(running_desk, author, title='Water the plants')
    await open_request(b, request_id)
    send(b, 'I will do it')
    await b.should_see(kind=MessageBlock, content='I will do it')
    follow(b, 'My responses')  # leaves the request page (a sub page) in this tab
    await b.should_see('Water the plants')
    await b.should_not_see(marker='unread-badge', content='1')
    [conversation] = await running_desk.conversations.on_my_requests(viewer_id=author.id)
    await running_desk.conversations.post(actor_id=author.id, request_id=request_id, text='Thank you!',
                                          conversation_id=conversation.conversation_id)
    await b.should_see(f'{author.display_name}: Thank you!')  # live, without reloading
    await b.should_see(marker='unread-badge', content='1')


async def test_the_language_follows_the_browser(user: User) -> None:
    user.http_client.headers['Accept-Language'] = 'ru-RU,ru;q=0.9,en;q=0.5'
    await user.open('/requests')
    await user.should_see('Войдите, чтобы создать заявку')
    await user.should_see('Сначала новые')


async def test_a_chosen_language_is_remembered_for_the_user(user: User, running_desk: Desk) -> None:
    account = await signed_in(user, running_desk)
    account_menu(user)
    user.find(marker='language-ru').click()
    await user.should_see('Новая заявка')
    remembered = await running_desk.accounts.get(account.id)
    assert remembered is not None and remembered.locale == 'ru'


async def test_dark_mode_is_a_user_menu_toggle_remembered_for_the_user(user: User, running_desk: Desk) -> None:
    account = await signed_in(user, running_desk)
    assert user.find(kind=ui.dark_mode).elements.pop().value is None  # follows the system until chosen
    account_menu(user)
    user.find(marker='theme-toggle').click()
    await eventually(lambda: user.find(kind=ui.dark_mode).elements.pop().value is True)

    async def remembered() -> bool:
        stored = await running_desk.accounts.get(account.id)
        return stored is not None and stored.theme == 'dark'

    await eventually(remembered)
    await user.open('/requests')
    await user.should_see('New request')
    assert user.find(kind=ui.dark_mode).elements.pop().value is True
