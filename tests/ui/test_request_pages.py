"""The request list and request page: create, browse, open, respond, status — live for everyone involved."""

from __future__ import annotations

from nicegui import ui
from nicegui.testing import User

from domain.desk import Desk
from domain.requests.service import PAGE_SIZE, RequestQuery
from tests.factories import PASSWORD, make_request, make_user, unique
from tests.ui.steps import choose_status, eventually, open_request, send, signed_in
from ui.components.message_block import MessageBlock
from ui.components.request_row import RequestRowView


async def test_a_new_request_appears_in_every_open_list_without_reloading(create_user, running_desk: Desk) -> None:
    alice, bob = create_user(), create_user()
    await signed_in(alice, running_desk)
    await bob.open('/requests')
    await alice.open('/requests')
    await alice.should_see('New request')
    title = unique('Flat tyre ')
    alice.find(kind=ui.button, content='New request').click()
    alice.find(kind=ui.input, content='Title').type(f'  {title}  ')
    alice.find(kind=ui.textarea, content='Description').type('Back wheel')
    alice.find(kind=ui.button, content='Create').click()
    await alice.should_see(kind=RequestRowView, content=title)
    await bob.should_see(kind=RequestRowView, content=title)
    [row] = bob.find(kind=RequestRowView, content=title).elements
    assert f'href="/requests/{row.row.id}"' in row.content  # the title leads to the request


async def test_an_empty_title_is_shown_on_the_field_and_the_description_is_kept(user: User,
                                                                              running_desk: Desk) -> None:
    await signed_in(user, running_desk)
    await user.open('/requests')
    await user.should_see('New request')
    user.find(kind=ui.button, content='New request').click()
    user.find(kind=ui.textarea, content='Description').type('Kept text')
    user.find(kind=ui.input, content='Title').type('   ')
    user.find(kind=ui.button, content='Create').click()
    await user.should_see('Enter a title.')
    assert user.find(kind=ui.textarea, content='Description').elements.pop().value == 'Kept text'


async def test_search_and_status_filter_narrow_the_list(user: User, running_desk: Desk) -> None:
    author = await make_user(running_desk)
    await make_request(running_desk, author, title='Window will not close')
    await user.open('/requests')
    await user.should_see('Projector in room 4 flickers')
    user.find('Search titles').type('WINDOW')
    await user.should_see(kind=RequestRowView, content='Window will not close')
    await user.should_not_see(kind=RequestRowView, content='Projector in room 4 flickers')
    user.find('Search titles').clear().type('nothing like this')
    await user.should_see('No requests match.')


async def test_a_visitor_is_invited_to_sign_in_and_comes_back_to_the_request(user: User, running_desk: Desk) -> None:
    author = await make_user(running_desk)
    request_id = await make_request(running_desk, author, title='Lost keys')
    await user.open(f'/requests/{request_id}')
    await user.should_see('Sign in to respond')
    link = user.find(kind=ui.link, content='Sign in').elements
    assert any(element.props['href'] == f'/login?redirect_to=/requests/{request_id}' for element in link)
    await user.should_not_see(kind=ui.button, content='Send')


async def test_an_unknown_request_shows_not_found(user: User) -> None:
    await user.open('/requests/999999')
    await user.should_see('This request does not exist.')
    response = await user.http_client.get('/no/such/page')
    assert response.status_code == 404


async def test_html_in_titles_and_messages_is_shown_as_text(create_user, running_desk: Desk) -> None:
    author = await make_user(running_desk)
    request_id = await make_request(running_desk, author, title='<script>alert(1)</script>',
                                    description='<b>bold?</b>')
    bob = create_user()
    await signed_in(bob, running_desk)
    await bob.open(f'/requests/{request_id}')
    await bob.should_see('<script>alert(1)</script>')
    await bob.should_see('Send')
    await bob.should_see('<b>bold?</b>')
    send(bob, '<img src=x onerror=alert(1)>')
    await bob.should_see(kind=MessageBlock, content='<img src=x onerror=alert(1)>')
    [block] = bob.find(kind=MessageBlock).elements  # the one element written as HTML escapes what was typed
    assert '&lt;img src=x onerror=alert(1)&gt;' in block.content and '<img' not in block.content


async def test_the_dialog_continues_live_on_both_pages(create_user, running_desk: Desk) -> None:
    a, b = create_user(), create_user()
    author = await signed_in(a, running_desk)
    responder = await signed_in(b, running_desk)
    request_id = await make_request(running_desk, author, title='Need a ladder')
    await a.open(f'/requests/{request_id}')
    await a.should_see('Responses (0)')
    await open_request(b, request_id)

    send(b, 'I have one')
    await b.should_see(kind=MessageBlock, content='I have one')
    await a.should_see('Responses (1)')  # without navigating
    await a.should_see(responder.display_name)
    await a.should_see(marker='unread-badge', content='1')

    a.find(marker=f'response-from-{responder.id}').click()
    await a.should_see(kind=MessageBlock, content='I have one')
    send(a, 'Great, bring it at 5')
    await b.should_see(kind=MessageBlock, content='Great, bring it at 5')  # without reloading
    for tab in (a, b):
        [block] = tab.find(kind=MessageBlock).elements
        assert [shown.body for shown in block.bubbles.values()] == ['I have one', 'Great, bring it at 5']


async def test_a_status_change_shows_live_on_another_viewers_page(create_user, running_desk: Desk) -> None:
    a, b = create_user(), create_user()
    author = await signed_in(a, running_desk)
    request_id = await make_request(running_desk, author, title='Paint the fence')
    await a.open(f'/requests/{request_id}')
    await a.should_see('Change status')
    await b.open(f'/requests/{request_id}')
    await b.should_see(kind=ui.badge, content='Open')
    await choose_status(a, 'In progress')
    await a.should_see(kind=ui.badge, content='In progress')
    await b.should_see(kind=ui.badge, content='In progress')
    await b.should_not_see(kind=ui.select, content='Change status')


async def test_a_stale_page_after_sign_out_asks_to_sign_in_and_keeps_the_draft(create_user,
                                                                              running_desk: Desk) -> None:
    author = await make_user(running_desk)
    request_id = await make_request(running_desk, author)
    tab = create_user()
    account = await signed_in(tab, running_desk)
    await open_request(tab, request_id)
    # another tab of the same browser signs out: the session cookie store is shared
    with tab:
        from nicegui import app
        app.storage.user.pop('session')
    send(tab, 'My careful answer')
    await tab.should_see('Your session has ended. Sign in again to continue.')
    assert tab.find(kind=ui.textarea, content='Message').elements.pop().value == 'My careful answer'
    with tab:
        assert app.storage.user['drafts'] == {f'reply:{request_id}:new': 'My careful answer'}

    tab.find(marker='reply-sign-in').click()  # signs in again and comes back to the request
    await tab.should_see(kind=ui.button, content='Sign in')
    tab.find('Username').type(account.username)
    tab.find('Password').type(PASSWORD)
    tab.find(kind=ui.button, content='Sign in').click()
    await tab.should_see('Send')
    await eventually(lambda: tab.find(kind=ui.textarea, content='Message').elements.pop().value == 'My careful answer')


async def test_the_start_page_asks_a_visitor_to_sign_in_and_shows_a_member_the_board(user: User,
                                                                                    running_desk: Desk) -> None:
    await user.open('/')
    await user.should_see(kind=ui.button, content='Sign in')
    await signed_in(user, running_desk)
    await user.open('/')
    await user.should_see('New request')


async def test_a_request_id_that_is_not_a_number_shows_not_found(user: User) -> None:
    await user.open('/requests/abc')
    await user.should_see('This request does not exist.')
    await user.open('/requests/99999999999999999999999')
    await user.should_see('This request does not exist.')


async def test_a_title_with_markup_is_shown_as_typed(user: User, running_desk: Desk) -> None:
    author = await make_user(running_desk)
    title = '<img src=x onerror=alert(1)> & <b>bold</b>'
    request_id = await make_request(running_desk, author, title=title)
    await user.open('/requests')
    await user.should_see(kind=RequestRowView, content=title)
    [row] = user.find(marker=f'request-row-{request_id}').elements
    assert '<img' not in row.content and '<b>' not in row.content  # text, never markup
    assert '&lt;img src=x onerror=alert(1)&gt; &amp; &lt;b&gt;bold&lt;/b&gt;' in row.content


async def test_the_pager_shows_past_one_page_and_grows_while_the_list_is_open(user: User, running_desk: Desk) -> None:
    author = await make_user(running_desk)
    already = (await running_desk.requests.list(viewer_id=None, query=RequestQuery())).total
    for number in range(PAGE_SIZE + 1 - already):  # one more than a page
        await make_request(running_desk, author, title=f'Queued job {number}')
    oldest = (await running_desk.requests.list(viewer_id=None, query=RequestQuery(page=2))).rows[0].title
    await user.open('/requests')
    await user.should_see(kind=RequestRowView, content=f'Queued job {PAGE_SIZE - already}')
    [pager] = user.find(kind=ui.pagination).elements
    await eventually(lambda: pager.visible and pager.max == 2)
    pager.set_value(2)
    await user.should_see(kind=RequestRowView, content=oldest)
    await user.should_not_see(kind=RequestRowView, content='Queued job 0')

    for number in range(PAGE_SIZE):  # another page's worth arrives while the list is open
        await make_request(running_desk, author, title=f'Late job {number}')
    await eventually(lambda: pager.max == 3 and pager.value == 2)
