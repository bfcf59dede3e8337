"""Chat widgets on both databases: admins configure them; visitors write through them and see only their own."""

from __future__ import annotations

import pytest

from domain.desk import Desk
from domain.errors import InvalidInput, NotFound, NotSignedIn, PermissionDenied, TooManyAttempts
from domain.tickets.views import InboxQuery
from domain.widgets.checks import WidgetDraft, normal_origin
from domain.widgets.limits import VisitorLimits
from domain.widgets.visitors import Context, InvalidVisitor, VisitorTokens
from storage.widgets import WidgetRow
from tests.domain.rule_steps import make_rule
from tests.factories import Clock, make_user


async def support_queue_id(desk: Desk) -> int:
    async with desk.widgets.uow() as uow:
        queue = await uow.workflows.queue_by_name('Support')
    assert queue is not None
    return queue.id


async def make_widget(desk: Desk, **changes: object) -> WidgetRow:
    admin = await make_user(desk, role='admin')
    values: dict[str, object] = {'name': 'Shop chat', 'queue_id': await support_queue_id(desk),
                                 'origins': ('https://shop.example.com',), **changes}
    widget, _secret = await desk.widgets.create(actor_id=admin.id, draft=WidgetDraft(**values))  # type: ignore[arg-type]
    return widget


@pytest.mark.parametrize(('given', 'expected'), [
    ('https://Shop.Example.com', 'https://shop.example.com'), ('https://shop.example.com:443', 'https://shop.example.com'),
    ('http://127.0.0.2:8001', 'http://127.0.0.2:8001'), ('https://shop.example.com/', 'https://shop.example.com'),
    ('https://shop.example.com/path', None), ('ftp://shop.example.com', None), ('https://*.example.com', None),
    ('shop.example.com', None), ('https://user@shop.example.com', None), ('https://shop.example.com?x=1', None),
    ('javascript:alert(1)', None), ("https://a.com 'unsafe-inline'", None), ('https://a.com;b', None)])
def test_origins_are_exact_scheme_host_and_port(given: str, expected: str | None) -> None:
    assert normal_origin(given) == expected


async def test_an_admin_creates_changes_and_deletes_widgets(desk: Desk) -> None:
    admin = await make_user(desk, role='admin')
    queue_id = await support_queue_id(desk)
    draft = WidgetDraft(name=' Shop chat ', queue_id=queue_id, origins=('https://Shop.example.com', 'http://a.test:81'),
                        greeting='Hi!', accent='#FF0000', name_field='required', email_field='optional')
    widget, secret = await desk.widgets.create(actor_id=admin.id, draft=draft)
    other, other_secret = await desk.widgets.create(actor_id=admin.id, draft=draft)
    assert widget.name == 'Shop chat' and widget.accent == '#ff0000'
    assert widget.origins == ('https://shop.example.com', 'http://a.test:81')
    assert len(secret) >= 40 and secret != other_secret and widget.public_key != other.public_key
    assert [w.id for w in await desk.widgets.all(actor_id=admin.id)] == [widget.id, other.id]
    changed = await desk.widgets.change(actor_id=admin.id, widget_id=widget.id,
                                        draft=WidgetDraft(name='Renamed', queue_id=queue_id, origins=()))
    assert (changed.name, changed.origins, changed.public_key) == ('Renamed', (), widget.public_key)
    assert await desk.widgets.regenerate_secret(actor_id=admin.id, widget_id=widget.id) != secret
    assert await desk.widgets.public(widget.public_key) == changed
    await desk.widgets.delete(actor_id=admin.id, widget_id=widget.id)
    assert await desk.widgets.public(widget.public_key) is None


@pytest.mark.parametrize(('changes', 'field'), [
    ({'name': '  '}, 'name'), ({'accent': 'red'}, 'accent'), ({'name_field': 'maybe'}, 'name_field'),
    ({'origins': ('https://shop.example.com/page',)}, 'origins'), ({'greeting': 'x' * 501}, 'greeting')])
async def test_bad_widget_settings_are_refused_with_the_field_at_fault(desk: Desk, changes: dict[str, object],
                                                                      field: str) -> None:
    with pytest.raises(InvalidInput) as refused:
        await make_widget(desk, **changes)
    assert refused.value.field == field


async def test_a_widget_sends_to_a_private_queue_only(desk: Desk) -> None:
    async with desk.widgets.uow() as uow:
        board = await uow.workflows.queue_by_name('Board')
    assert board is not None
    with pytest.raises(InvalidInput) as refused:
        await make_widget(desk, queue_id=board.id)
    assert refused.value.field == 'queue_id'


async def test_only_admins_manage_widgets(desk: Desk) -> None:
    widget = await make_widget(desk)
    agent, customer = await make_user(desk, role='agent'), await make_user(desk)
    for actor_id in (agent.id, customer.id):
        with pytest.raises(PermissionDenied):
            await desk.widgets.all(actor_id=actor_id)
        with pytest.raises(PermissionDenied):
            await desk.widgets.regenerate_secret(actor_id=actor_id, widget_id=widget.id)
    with pytest.raises(NotSignedIn):
        await desk.widgets.create(actor_id=None, draft=WidgetDraft(name='x', queue_id=widget.queue_id, origins=()))


async def test_a_visitors_first_message_opens_a_widget_ticket_and_their_token_brings_it_back(desk: Desk) -> None:
    widget = await make_widget(desk)
    context = Context(page_url='https://shop.example.com/cart', referrer='https://search.example/', language='ru-RU')
    sent = await desk.widget_chat.write(widget, token=None, text='Where is my parcel?', context=context)
    again = await desk.widget_chat.write(widget, token=sent.token, text='Order 42')
    assert again.visitor_id == sent.visitor_id and again.token == sent.token
    chat = await desk.widget_chat.chat(widget, visitor_id=await desk.widget_chat.visitor(widget, sent.token) or 0)
    [thread] = chat.threads
    assert [m.body for m in thread.messages] == ['Where is my parcel?', 'Order 42']
    agent = await make_user(desk, role='agent')
    view = await desk.tickets.ticket(viewer_id=agent.id, request_id=thread.ticket.id)
    assert view.ticket.channel == 'widget'
    facts = await desk.widget_chat.facts(viewer_id=agent.id, request_id=thread.ticket.id)
    assert facts is not None and facts.language == ''  # the second message came without a context: the latest
    await desk.widget_chat.write(widget, token=sent.token, text='Hello?', context=context)
    facts = await desk.widget_chat.facts(viewer_id=agent.id, request_id=thread.ticket.id)
    assert facts is not None
    assert (facts.page_url, facts.referrer, facts.language) == (context.page_url, context.referrer, 'ru-RU')
    with pytest.raises(PermissionDenied):
        await desk.widget_chat.facts(viewer_id=sent.visitor_id, request_id=thread.ticket.id)


async def test_a_forged_or_foreign_visitor_token_is_refused(desk: Desk) -> None:
    widget, other = await make_widget(desk), await make_widget(desk)
    sent = await desk.widget_chat.write(widget, token=None, text='hello')
    forged = desk.widget_chat.tokens.issue(widget_id=widget.id, visitor_id=sent.visitor_id)[:-2] + 'xx'
    signed_elsewhere = VisitorTokens('another secret').issue(widget_id=widget.id, visitor_id=sent.visitor_id)
    customer = await make_user(desk)  # a real user, but no visitor: a token naming them is refused too
    for token, on in ((forged, widget), (signed_elsewhere, widget), (sent.token, other),
                      (desk.widget_chat.tokens.issue(widget_id=widget.id, visitor_id=customer.id), widget)):
        with pytest.raises(InvalidVisitor):
            await desk.widget_chat.visitor(on, token)
        with pytest.raises(InvalidVisitor):
            await desk.widget_chat.write(on, token=token, text='let me in')


async def test_a_visitor_never_reads_another_visitors_ticket_nor_internal_notes(desk: Desk) -> None:
    widget = await make_widget(desk)
    agent = await make_user(desk, role='agent')
    alice = await desk.widget_chat.write(widget, token=None, text='I am Alice')
    bob = await desk.widget_chat.write(widget, token=None, text='I am Bob')
    [alice_thread] = (await desk.widget_chat.chat(widget, visitor_id=alice.visitor_id)).threads
    [bob_thread] = (await desk.widget_chat.chat(widget, visitor_id=bob.visitor_id)).threads
    assert alice_thread.ticket.id != bob_thread.ticket.id
    await desk.tickets.reply(actor_id=agent.id, request_id=alice_thread.ticket.id, text='she is a VIP', note=True)
    await desk.tickets.reply(actor_id=agent.id, request_id=alice_thread.ticket.id, text='Hello Alice')
    [alice_thread] = (await desk.widget_chat.chat(widget, visitor_id=alice.visitor_id)).threads
    assert [m.body for m in alice_thread.messages] == ['I am Alice', 'Hello Alice']
    shown = await desk.conversations.messages_after(viewer_id=alice.visitor_id, request_id=alice_thread.ticket.id,
                                                    conversation_id=alice_thread.conversation_id, after_id=0)
    assert 'she is a VIP' not in [m.body for m in shown]
    with pytest.raises(NotFound):  # to Bob, Alice's ticket does not exist
        await desk.widget_chat.typing(visitor_id=bob.visitor_id, request_id=alice_thread.ticket.id)
    with pytest.raises(NotFound):
        await desk.conversations.messages_after(viewer_id=bob.visitor_id, request_id=alice_thread.ticket.id,
                                                conversation_id=alice_thread.conversation_id, after_id=0)


async def test_a_visitor_can_never_sign_in(desk: Desk) -> None:
    widget = await make_widget(desk)
    sent = await desk.widget_chat.write(widget, token=None, text='hello')
    async with desk.widgets.uow() as uow:
        visitor = await uow.users.get(sent.visitor_id)
    assert visitor is not None and visitor.role == 'visitor'
    for password in ('', 'correct horse', sent.token):  # no password was ever set, and the token is none
        with pytest.raises(InvalidInput):
            await desk.accounts.sign_in(username=visitor.username, password=password)


async def test_pre_chat_fields_are_asked_for_when_required(desk: Desk) -> None:
    widget = await make_widget(desk, name_field='required', email_field='required')
    with pytest.raises(InvalidInput) as refused:
        await desk.widget_chat.write(widget, token=None, text='hi', email='a@b.example')
    assert refused.value.field == 'name'
    with pytest.raises(InvalidInput) as refused:
        await desk.widget_chat.write(widget, token=None, text='hi', name='Ann', email='not-an-address')
    assert refused.value.field == 'email'
    sent = await desk.widget_chat.write(widget, token=None, text='hi', name='Ann', email='ann@b.example')
    [thread] = (await desk.widget_chat.chat(widget, visitor_id=sent.visitor_id)).threads
    assert thread.messages[0].author == 'Ann'


async def test_starting_conversations_and_sending_are_rate_limited(desk: Desk) -> None:
    widget = await make_widget(desk)
    clock = Clock()
    desk.widget_chat.limits = VisitorLimits(clock=clock)
    address = Context(address='203.0.113.9')
    tokens = [(await desk.widget_chat.write(widget, token=None, text=f'spam {n}', context=address)).token
              for n in range(10)]
    with pytest.raises(TooManyAttempts):
        await desk.widget_chat.write(widget, token=None, text='one more visitor', context=address)
    for n in range(9):  # the first visitor goes on in their open ticket: sending is limited apart
        await desk.widget_chat.write(widget, token=tokens[0], text=f'more {n}', context=Context(address='198.51.100.1'))
    with pytest.raises(TooManyAttempts):
        for n in range(20):
            await desk.widget_chat.write(widget, token=tokens[0], text=f'flood {n}',
                                         context=Context(address='198.51.100.1'))
    clock.now += 601
    await desk.widget_chat.write(widget, token=None, text='a new day', context=address)


async def test_visitor_text_is_bounded(desk: Desk) -> None:
    widget = await make_widget(desk)
    with pytest.raises(InvalidInput):
        await desk.widget_chat.write(widget, token=None, text='x' * 10_001)
    with pytest.raises(InvalidInput):
        await desk.widget_chat.write(widget, token=None, text='   ')
    long_page = Context(page_url='https://a.b/' + 'p' * 5000)
    sent = await desk.widget_chat.write(widget, token=None, text='ok', context=long_page)
    agent = await make_user(desk, role='agent')
    [thread] = (await desk.widget_chat.chat(widget, visitor_id=sent.visitor_id)).threads
    facts = await desk.widget_chat.facts(viewer_id=agent.id, request_id=thread.ticket.id)
    assert facts is not None and len(facts.page_url) == 2000


async def test_after_closing_the_next_visitor_message_opens_a_new_conversation_and_the_old_stays(desk: Desk) -> None:
    widget = await make_widget(desk)
    agent = await make_user(desk, role='agent')
    sent = await desk.widget_chat.write(widget, token=None, text='first question')
    first = (await desk.widget_chat.chat(widget, visitor_id=sent.visitor_id)).open_ticket_id
    assert first is not None
    closed = next(s.id for s in await desk.requests.statuses() if s.name == 'Closed')
    await desk.requests.change_status(actor_id=agent.id, request_id=first, status_id=closed)
    await desk.widget_chat.write(widget, token=sent.token, text='second question')
    chat = await desk.widget_chat.chat(widget, visitor_id=sent.visitor_id)
    assert [[m.body for m in thread.messages] for thread in chat.threads] == [['first question'], ['second question']]
    assert chat.open_ticket_id not in (None, first)


async def test_visitors_are_no_accounts_in_the_users_admin(desk: Desk) -> None:
    widget = await make_widget(desk)
    admin = await make_user(desk, role='admin')
    sent = await desk.widget_chat.write(widget, token=None, text='hello')
    listed = await desk.users.list(actor_id=admin.id, search='')
    assert admin.id in [user.id for user in listed.rows]
    assert sent.visitor_id not in [user.id for user in listed.rows]


async def test_a_rule_on_the_widget_channel_assigns_widget_conversations(desk: Desk) -> None:
    widget = await make_widget(desk)
    admin, agent = await make_user(desk, role='admin'), await make_user(desk, role='agent')
    await make_rule(desk, admin, 'request.created', [{'field': 'channel', 'op': 'is', 'value': 'widget'}],
                    [{'type': 'assign', 'user_id': agent.id}])
    sent = await desk.widget_chat.write(widget, token=None, text='Hello from the shop')
    await desk.support.write(actor_id=(await make_user(desk)).id, text='Hello from the support page')
    await desk.worker.drain()
    chat = await desk.widget_chat.chat(widget, visitor_id=sent.visitor_id)
    [thread] = chat.threads
    by_widget = await desk.tickets.ticket(viewer_id=agent.id, request_id=thread.ticket.id)
    assert by_widget.ticket.assignee_id == agent.id
    inbox = await desk.tickets.inbox(viewer_id=agent.id, query=InboxQuery(assignee='me'))
    assert [row.id for row in inbox.rows] == [thread.ticket.id]  # the support page's ticket is not the widget's
