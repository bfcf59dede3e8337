"""The chat widget in the simulated browser: a visitor writes, an agent's inbox shows it live, the reply comes back."""

from __future__ import annotations

import re

import httpx
from nicegui import core, ui
from nicegui.testing import User

from domain.desk import Desk
from domain.files import Upload
from domain.widgets.checks import WidgetDraft
from storage.widgets import WidgetRow
from tests.factories import make_user
from tests.ui.steps import open_row, send, signed_in
from ui.components.desk_row import DeskRowView
from ui.components.message_block import MessageBlock

GET_TOKEN = re.compile(r'.*localStorage\.getItem.*')


async def make_widget(desk: Desk, **changes: object) -> WidgetRow:
    admin = await make_user(desk, role='admin')
    async with desk.widgets.uow() as uow:
        support = await uow.workflows.queue_by_name('Support')
    assert support is not None
    values: dict[str, object] = {'name': 'Shop chat', 'queue_id': support.id, 'origins': ('https://shop.example',),
                                 'greeting': 'Hi! Ask us anything.', **changes}
    widget, _secret = await desk.widgets.create(actor_id=admin.id, draft=WidgetDraft(**values))  # type: ignore[arg-type]
    return widget


def as_visitor(tab: User, token: str | None = None, fragment: str = '') -> None:
    """The frame's own storage, as the page reads it (empty, or holding the visitor's token), and its address's
    fragment (where the host site names its signed-in user)."""
    tab.javascript_rules[GET_TOKEN] = lambda _match: {'token': token, 'hash': fragment}



async def test_a_visitor_writes_in_the_widget_and_an_agent_answers_live(create_user, running_desk: Desk) -> None:
    visitor_tab, agent_tab = create_user(), create_user()
    widget = await make_widget(running_desk)
    await signed_in(agent_tab, running_desk, role='agent')
    await agent_tab.open('/inbox')
    await agent_tab.should_see('No tickets match.')

    as_visitor(visitor_tab)
    await visitor_tab.open(f'/widget/{widget.public_key}?page=https://shop.example/cart&lang=en-GB')
    await visitor_tab.should_see('Hi! Ask us anything.')
    send(visitor_tab, '<b>Is this</b> in stock?')
    await visitor_tab.should_see(kind=MessageBlock, content='<b>Is this</b> in stock?')  # as text, never markup

    await agent_tab.should_see(kind=DeskRowView, content='<b>Is this</b> in stock?')  # live, without reloading
    await open_row(agent_tab, '<b>Is this</b> in stock?')
    await agent_tab.should_see(kind=MessageBlock, content='<b>Is this</b> in stock?')
    for tab in (visitor_tab, agent_tab):  # the markup holds the text escaped, never a <b> element
        [block] = tab.find(kind=MessageBlock, content='<b>Is this</b> in stock?').elements
        assert '&lt;b&gt;Is this&lt;/b&gt; in stock?' in block.content and '<b>' not in block.content
    await agent_tab.should_see('https://shop.example/cart')  # where the visitor is
    await agent_tab.should_see('en-GB')
    send(agent_tab, 'Only for VIPs', button='Add internal note')
    await agent_tab.should_see(kind=MessageBlock, content='Only for VIPs')
    send(agent_tab, 'Yes, three left.', button='Reply')

    await visitor_tab.should_see(kind=MessageBlock, content='Yes, three left.')  # live
    await visitor_tab.should_not_see(content='Only for VIPs')


async def test_the_visitors_token_brings_their_history_back_and_a_forged_one_does_not(create_user,
                                                                                      running_desk: Desk) -> None:
    widget = await make_widget(running_desk)
    sent = await running_desk.widget_chat.write(widget, token=None, text='My earlier question')
    loader_tab, frame_tab, forged_tab = create_user(), create_user(), create_user()
    as_visitor(loader_tab)
    await loader_tab.open(f'/widget/{widget.public_key}?vt={sent.token}')  # handed in by the loader script
    await loader_tab.should_see(kind=MessageBlock, content='My earlier question')
    as_visitor(frame_tab, sent.token)
    await frame_tab.open(f'/widget/{widget.public_key}')  # no loader: the frame's own storage keeps it
    await frame_tab.should_see(kind=MessageBlock, content='My earlier question')
    as_visitor(forged_tab, sent.token[:-3] + 'abc')
    await forged_tab.open(f'/widget/{widget.public_key}?vt={sent.token[:-3]}xyz')
    await forged_tab.should_see('Hi! Ask us anything.')
    await forged_tab.should_not_see(content='My earlier question')


async def test_the_widget_is_framed_only_by_its_sites_and_says_so_to_others(running_desk: Desk) -> None:
    widget = await make_widget(running_desk)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(core.app), base_url='http://desk.test') as browser:
        page = await browser.get(f'/widget/{widget.public_key}', headers={'Referer': 'https://shop.example/cart'})
        assert page.status_code == 200 and 'Hi! Ask us anything.' in page.text and '"Message"' in page.text
        assert page.headers['content-security-policy'] == "frame-ancestors 'self' https://shop.example"
        assert 'x-frame-options' not in page.headers
        for refused in ({'params': {'origin': 'https://elsewhere.example'}},
                        {'headers': {'Referer': 'https://elsewhere.example/page'}}):
            page = await browser.get(f'/widget/{widget.public_key}', **refused)  # type: ignore[arg-type]
            assert page.status_code == 403
            assert 'This chat is not enabled for this site.' in page.text and '"Message"' not in page.text
            assert page.headers['content-security-policy'] == "frame-ancestors 'self' https://shop.example"
        assert (await browser.get('/widget/no-such-key')).status_code == 404
        loader = await browser.get(f'/widget/{widget.public_key}/loader.js')
        assert loader.status_code == 200 and loader.headers['content-type'].startswith('text/javascript')
        assert "'#1976d2'" in loader.text and '__ACCENT__' not in loader.text
        assert (await browser.get('/widget/no-such-key/loader.js')).status_code == 404
        other = await browser.get('/requests')  # every other page keeps to its own site
        assert other.headers['content-security-policy'] == "frame-ancestors 'self'"
        assert other.headers['x-frame-options'] == 'SAMEORIGIN'


async def test_required_pre_chat_fields_are_asked_before_the_first_message(user: User, running_desk: Desk) -> None:
    widget = await make_widget(running_desk, name_field='required', email_field='optional')
    as_visitor(user)
    await user.open(f'/widget/{widget.public_key}')
    send(user, 'Hello?')
    await user.should_see('Tell us your name.')
    user.find(kind=ui.input, content='Your name *').type('Ann')
    user.find(kind=ui.button, content='Send').click()
    await user.should_see(kind=MessageBlock, content='Hello?')
    await user.should_see(kind=MessageBlock, content='Ann')
    await user.should_not_see(marker='pre-chat')


async def test_admins_create_a_widget_on_the_widgets_page_and_see_its_snippet_and_secret(
        user: User, running_desk: Desk) -> None:
    await signed_in(user, running_desk, role='admin')
    await user.open('/admin/widgets')
    await user.should_see('No widgets yet.')
    user.find(marker='new-widget').click()
    await user.should_see(marker='widget-dialog')
    user.find(kind=ui.input, content='Name').type('Shop chat')
    user.find(kind=ui.textarea, content='Websites allowed to embed it, one a line').type('https://shop.example/x')
    user.find(kind=ui.button, content='Create').click()
    await user.should_see('no website origin')
    user.find(kind=ui.textarea, content='Websites allowed to embed it, one a line').clear()
    user.find(kind=ui.textarea, content='Websites allowed to embed it, one a line').type('https://shop.example')
    user.find(kind=ui.button, content='Create').click()
    await user.should_see(marker='snippet-script')
    admin = await make_user(running_desk, role='admin')
    [widget] = await running_desk.widgets.all(actor_id=admin.id)
    secret = (await running_desk.widgets.secrets(actor_id=admin.id, widget_ids=[widget.id]))[widget.id]
    await user.should_see(f'/widget/{widget.public_key}/loader.js')
    [shown] = user.find(marker='secret').elements
    assert shown.content == secret  # type: ignore[attr-defined]
    user.find(marker='rotate').click()
    await user.should_see('the old one is refused from now on')
    rotated = (await running_desk.widgets.secrets(actor_id=admin.id, widget_ids=[widget.id]))[widget.id]
    assert rotated != secret and shown.content == rotated  # type: ignore[attr-defined]
    [identified] = user.find(marker='snippet-identified').elements
    assert 'data-user-hash="HASH"' in identified.content  # type: ignore[attr-defined]


async def test_agents_find_no_widgets_page(user: User, running_desk: Desk) -> None:
    await signed_in(user, running_desk, role='agent')
    await user.open('/admin/widgets')
    await user.should_not_see(marker='new-widget')


async def test_files_in_the_widget_open_with_the_visitors_token_and_for_nobody_else(create_user,
                                                                                   running_desk: Desk) -> None:
    widget = await make_widget(running_desk)
    agent = await make_user(running_desk, role='agent')
    sent = await running_desk.widget_chat.write(widget, token=None, text='Send me the manual',
                                                files=[Upload('photo.txt', b'my broken thing')])
    other = await running_desk.widget_chat.write(widget, token=None, text='Another visitor')
    [thread] = (await running_desk.widget_chat.chat(widget, visitor_id=sent.visitor_id)).threads
    await running_desk.tickets.reply(actor_id=agent.id, request_id=thread.ticket.id, text='internal',
                                     note=True, files=[Upload('secret.txt', b'staff only')])
    await running_desk.tickets.reply(actor_id=agent.id, request_id=thread.ticket.id, text='Here it is',
                                     files=[Upload('manual.txt', b'step one')])
    visitor_tab = create_user()
    as_visitor(visitor_tab)
    await visitor_tab.open(f'/widget/{widget.public_key}?vt={sent.token}')
    await visitor_tab.should_see(kind=MessageBlock, content='Here it is')
    [block] = visitor_tab.find(kind=MessageBlock, content='Here it is').elements
    links = re.findall(r'href="([^"]+)"', block.content)
    assert len(links) == 2 and all(link.startswith(f'/widget/{widget.public_key}/files/') for link in links)
    chat = await running_desk.widget_chat.chat(widget, visitor_id=sent.visitor_id)
    files = {a.filename: a.id for m in chat.threads[0].messages for a in m.attachments}
    assert set(files) == {'photo.txt', 'manual.txt'}  # the note's file is not even listed
    async with running_desk.files.uow() as uow:
        note_file = await uow.attachments.locate(max(files.values()) - 1)
    assert note_file is not None and note_file[0].filename == 'secret.txt'
    async with httpx.AsyncClient(transport=httpx.ASGITransport(core.app), base_url='http://desk.test') as browser:
        base = f'/widget/{widget.public_key}/files'
        got = await browser.get(f'{base}/{files["manual.txt"]}', params={'vt': sent.token})
        assert got.status_code == 200 and got.content == b'step one'
        for attachment_id, token in ((files['manual.txt'], other.token), (files['manual.txt'], ''),
                                     (files['manual.txt'], sent.token[:-2] + 'zz'),
                                     (note_file[0].id, sent.token)):
            got = await browser.get(f'{base}/{attachment_id}', params={'vt': token})
            assert got.status_code == 404, (attachment_id, token)
        assert (await browser.get(f'/files/{files["manual.txt"]}')).status_code == 404  # no session: not this way


async def test_a_visitor_of_a_russian_widget_who_gave_no_name_is_named_in_russian(user: User,
                                                                                  running_desk: Desk) -> None:
    widget = await make_widget(running_desk, greeting='')
    as_visitor(user)
    await user.open(f'/widget/{widget.public_key}?lang=ru')
    user.find(kind=ui.textarea, content='Сообщение').type('Здравствуйте')
    user.find(kind=ui.button, content='Отправить').click()
    await user.should_see(kind=MessageBlock, content='Здравствуйте')
    await user.should_see(kind=MessageBlock, content='Посетитель ')  # the name beside their message
    await user.should_not_see(kind=MessageBlock, content='Visitor ')
