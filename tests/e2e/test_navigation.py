"""The drawer and the pages people use most, in a real browser at 1280 and 390 px: never wider than the screen,
titles given room, controls on screen; on a phone the menu button opens the drawer and tapping a page goes there
(and closes it) without loading the page again."""

from __future__ import annotations

import re
import uuid

import pytest

from tests.e2e.steps import WAIT, account_button, bubble, go, header, message_box, nav, sign_in

pytestmark = pytest.mark.e2e
async_api = pytest.importorskip('playwright.async_api', reason='the end-to-end tests need playwright')
Page, expect = async_api.Page, async_api.expect

DESKTOP = {'width': 1280, 'height': 900}
PHONE = {'width': 390, 'height': 844}
REQUEST = 'Projector in room 4 flickers'  # seeded by the demo (domain/demo.py)
ORDER = {'title': 'Paper and toner for the second floor printer room',
         'items': [{'name': 'A4 paper, 500 sheets', 'quantity': 4, 'unit_price': 599}],
         'fields': {'delivery_address': '2nd floor, printer room'}}


async def new_page(browser, base_url: str, viewport: dict[str, int], *, lang: str = 'en') -> Page:
    context = await browser.new_context(base_url=base_url, viewport=viewport, has_touch=viewport == PHONE,
                                        locale='ru-RU' if lang == 'ru' else 'en-US')
    context.set_default_timeout(WAIT)
    return await context.new_page()


async def fits(page: Page, width: int) -> None:
    """No horizontal scroll: the document is no wider than the window, and the window is the width asked for."""
    scroll_width, inner_width = await page.evaluate('[document.documentElement.scrollWidth, window.innerWidth]')
    assert inner_width == width, f'the window is {inner_width} px wide, not {width}'
    assert scroll_width <= inner_width, f'{page.url}: scrollWidth {scroll_width} > innerWidth {inner_width}'


async def on_screen(locator, width: int, *, at_least: float = 0) -> None:
    """Visible, wholly inside the window's width (once an opening menu has settled), and at least `at_least` px wide
    (a title not squeezed away)."""
    await expect(locator).to_be_visible(timeout=WAIT)
    await locator.scroll_into_view_if_needed()
    inside = 'el => { const box = el.getBoundingClientRect(); return box.left >= 0 && box.right <= window.innerWidth; }'
    try:
        await locator.page.wait_for_function(inside, arg=await locator.element_handle(), timeout=WAIT)
    except async_api.TimeoutError:
        pytest.fail(f'{locator} is off screen: {await locator.bounding_box()}')
    box = await locator.bounding_box()
    assert box is not None and box['width'] >= at_least, f'{locator} is {box} wide'


async def one_line_header(page: Page) -> None:
    box = await header(page).bounding_box()
    assert box is not None and box['height'] <= 64, f'the header is {box} (more than one line)'


async def place_order(page: Page, username: str) -> None:
    """Through the API, as the customer: the orders pages need one to show."""
    token = await page.request.post('/api/v1/auth/token', data={'username': username, 'password': 'password'})
    assert token.ok, await token.text()
    bearer = {'Authorization': f'Bearer {(await token.json())["access_token"]}'}
    placed = await page.request.post('/api/v1/orders', data=ORDER, headers=bearer)
    assert placed.status == 201, await placed.text()


@pytest.mark.parametrize('viewport', [DESKTOP, PHONE], ids=['1280', '390'])
async def test_every_page_fits_the_screen_and_the_drawer_navigates(e2e_browser, e2e_server: str,
                                                                    viewport: dict[str, int]) -> None:
    width = viewport['width']
    tag = uuid.uuid4().hex[:6]
    customer = await new_page(e2e_browser, e2e_server, viewport)
    await place_order(customer, 'user')
    await sign_in(customer, 'user', 'password')
    await one_line_header(customer)
    await customer.evaluate('window.__no_reload = 42')

    # The board: each title across the row, tappable.
    title = customer.get_by_role('link', name=REQUEST, exact=True)
    await on_screen(title, width, at_least=150)
    await on_screen(customer.get_by_role('button', name='New request'), width)
    await fits(customer, width)
    await title.click()
    await expect(customer.get_by_role('heading', name=REQUEST, level=1)).to_be_visible()
    await on_screen(customer.get_by_role('button', name='Send', exact=True), width)
    await fits(customer, width)
    await message_box(customer).fill(f'Is it the ceiling projector? ({tag})')
    await customer.get_by_role('button', name='Send', exact=True).click()
    await expect(bubble(customer, f'Is it the ceiling projector? ({tag})')).to_have_count(1)

    # The drawer: on a phone behind the menu button, and closed again once a page is chosen.
    menu = header(customer).get_by_role('button', name='Menu')
    if width < 1024:
        await expect(nav(customer)).to_be_hidden()
        await menu.click()
        await expect(nav(customer)).to_be_visible()
    else:
        await expect(menu).to_be_hidden()
        await expect(nav(customer)).to_be_visible()
    responses = nav(customer).get_by_role('link', name='My responses', exact=True)
    await (responses.tap() if width < 1024 else responses.click())
    await expect(customer).to_have_url(re.compile(r'/responses$'))
    await expect(customer.get_by_role('heading', name='Requests I responded to')).to_be_visible()
    if width < 1024:
        await expect(nav(customer)).to_be_hidden()
    await on_screen(customer.get_by_role('link', name=REQUEST, exact=True), width, at_least=150)
    await fits(customer, width)

    await go(customer, 'Orders', '/orders')
    order = customer.get_by_role('link', name=re.compile(re.escape(ORDER['title'])))
    await on_screen(order, width, at_least=150)
    await on_screen(customer.get_by_role('button', name='New order'), width)
    await fits(customer, width)
    await order.click()
    await expect(customer.get_by_role('heading', name=re.compile(re.escape(ORDER['title'])), level=1)).to_be_visible()
    await on_screen(customer.get_by_role('button', name='Send', exact=True), width)
    await fits(customer, width)

    await go(customer, 'Support', '/support')
    question = f'My laptop no longer connects to the Wi-Fi ({tag})'
    await message_box(customer).fill(question)
    await on_screen(customer.get_by_role('button', name='Send', exact=True), width)
    await customer.get_by_role('button', name='Send', exact=True).click()
    await expect(bubble(customer, question)).to_have_count(1)
    await fits(customer, width)
    assert await customer.evaluate('window.__no_reload') == 42  # every move above was within the page

    # The user menu: reachable, on screen, with the way out.
    await account_button(customer, 'user').click()
    await on_screen(customer.get_by_role('menu').get_by_text('Sign out', exact=True), width)
    await customer.keyboard.press('Escape')

    # Staff: the inbox, with its count in the drawer, and a ticket.
    agent = await new_page(e2e_browser, e2e_server, viewport)
    await sign_in(agent, 'admin', 'password')
    await one_line_header(agent)
    if width < 1024:
        await header(agent).get_by_role('button', name='Menu').click()
    inbox = nav(agent).get_by_role('link', name='Inbox', exact=True)
    await expect(inbox.locator('.sb-nav-count')).to_have_text(re.compile(r'^[1-9]\d*$'))  # the question waits
    await inbox.click()
    await expect(agent).to_have_url(re.compile(r'/inbox$'))
    ticket = agent.get_by_role('list', name='Tickets').get_by_role('link', name=question, exact=True)
    await on_screen(ticket, width, at_least=150)
    await fits(agent, width)
    await ticket.click()
    await expect(agent.get_by_role('heading', name=question, level=2)).to_be_visible()
    await on_screen(agent.get_by_role('button', name='Reply', exact=True), width)
    await fits(agent, width)


async def test_a_russian_visitor_on_a_phone_gets_one_header_line_and_the_drawer(e2e_browser, e2e_server: str) -> None:
    page = await new_page(e2e_browser, e2e_server, PHONE, lang='ru')
    await page.goto('/requests')
    await expect(page.get_by_role('link', name='Войдите, чтобы создать заявку')).to_be_visible()
    await one_line_header(page)
    await on_screen(header(page).get_by_role('link', name='Войти', exact=True), PHONE['width'])
    await fits(page, PHONE['width'])
    await header(page).get_by_role('button', name='Меню').click()
    await nav(page, 'Навигация').get_by_role('link', name='Поддержка', exact=True).tap()
    await expect(page).to_have_url(re.compile(r'/support$'))
    await expect(nav(page, 'Навигация')).to_be_hidden()
    await fits(page, PHONE['width'])
    await header(page).get_by_role('button', name='Настройки').click()  # language and theme for a visitor
    await on_screen(page.get_by_role('menu').get_by_text('Создать аккаунт', exact=True), PHONE['width'])  # no room
    await page.get_by_role('menu').get_by_text('English', exact=True).click()  # for it in the header on a phone
    await expect(header(page).get_by_role('link', name='Sign in', exact=True)).to_be_visible()
