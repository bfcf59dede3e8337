"""Requests on both databases: create, list with filters, sort and pages, status along the workflow."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from domain.desk import Desk
from domain.errors import InvalidInput, InvalidTransition, NotFound, NotSignedIn, PermissionDenied
from domain.events import RequestChanged, RequestCreated
from domain.requests.service import PAGE_SIZE, RequestQuery
from storage.models import Event
from tests.factories import make_request, make_user


async def test_a_new_request_starts_in_the_first_status_with_a_trimmed_title(desk: Desk) -> None:
    author = await make_user(desk)
    request_id = await desk.requests.create(actor_id=author.id, title='  Broken chair  ', description=' wobbly ')
    view = await desk.requests.open(viewer_id=None, request_id=request_id)
    assert (view.request.title, view.request.description, view.status.name) == ('Broken chair', 'wobbly', 'Open')


async def test_a_request_can_start_in_another_status_of_the_workflow(desk: Desk) -> None:
    author = await make_user(desk)
    statuses = await desk.requests.statuses()
    assert [s.name for s in statuses] == ['Open', 'In progress', 'Closed']
    request_id = await desk.requests.create(actor_id=author.id, title='Started', status_id=statuses[1].id)
    assert (await desk.requests.open(viewer_id=None, request_id=request_id)).status.name == 'In progress'


async def test_the_request_remembered_at_creation_is_the_one_the_database_gives_back(desk: Desk) -> None:
    author = await make_user(desk)
    for status in await desk.requests.statuses():  # a closed one too: it has its closing time
        request_id = await desk.requests.create(actor_id=author.id, title='Lamp', description='Flickers',
                                                status_id=status.id, channel='api')
        remembered = await desk.requests.open(viewer_id=author.id, request_id=request_id)
        desk.requests.records.forget()
        assert await desk.requests.open(viewer_id=author.id, request_id=request_id) == remembered


async def test_a_list_row_that_did_not_change_is_the_same_object_in_the_next_read(desk: Desk) -> None:
    author = await make_user(desk)
    kept, moved = await make_request(desk, author, title='Kept'), await make_request(desk, author, title='Moved')
    first = {row.id: row for row in (await desk.requests.list(viewer_id=None, query=RequestQuery())).rows}
    await desk.requests.change_status(actor_id=author.id, request_id=moved,
                                      status_id=(await desk.requests.statuses())[1].id)
    second = {row.id: row for row in (await desk.requests.list(viewer_id=None, query=RequestQuery())).rows}
    assert second[kept] is first[kept]  # open lists find it unchanged by identity
    assert second[moved] is not first[moved] and second[moved].status == 'In progress'


@pytest.mark.parametrize('title, description, field', [
    ('', '', 'title'), ('   ', '', 'title'), ('x' * 201, '', 'title'), ('ok', 'y' * 10_001, 'description'),
])
async def test_bad_input_names_the_field_and_saves_nothing(desk: Desk, title: str, description: str,
                                                           field: str) -> None:
    author = await make_user(desk)
    with pytest.raises(InvalidInput) as refused:
        await desk.requests.create(actor_id=author.id, title=title, description=description)
    assert refused.value.field == field
    assert (await desk.requests.list(viewer_id=None, query=RequestQuery())).total == 0


async def test_a_title_of_exactly_200_characters_is_fine(desk: Desk) -> None:
    author = await make_user(desk)
    await desk.requests.create(actor_id=author.id, title='x' * 200)


async def test_a_visitor_cannot_create(desk: Desk) -> None:
    with pytest.raises(NotSignedIn):
        await desk.requests.create(actor_id=None, title='Anonymous')


async def test_creating_publishes_after_commit_and_records_an_event(desk: Desk) -> None:
    author = await make_user(desk)
    seen: list[object] = []
    desk.hub.subscribe(RequestCreated, seen.append)
    request_id = await make_request(desk, author)
    assert seen == [RequestCreated(request_id, (await desk.requests.board()).id)]
    async with desk.database.connect() as connection:
        kinds = (await connection.scalars(select(Event.kind).where(Event.request_id == request_id))).all()
    assert kinds == ['request.created']


async def test_the_list_is_newest_first_in_pages_of_25(desk: Desk) -> None:
    author = await make_user(desk)
    ids = [await make_request(desk, author, title=f'Item {n:02}') for n in range(PAGE_SIZE + 2)]
    first = await desk.requests.list(viewer_id=None, query=RequestQuery())
    assert [row.id for row in first.rows] == ids[::-1][:PAGE_SIZE]
    assert (first.page, first.pages, first.total) == (1, 2, PAGE_SIZE + 2)
    second = await desk.requests.list(viewer_id=None, query=RequestQuery(page=2))
    assert [row.id for row in second.rows] == ids[1::-1]
    oldest = await desk.requests.list(viewer_id=None, query=RequestQuery(descending=False, page=99))
    assert oldest.page == 2  # a page past the end shows the last one


async def test_filters_status_mine_and_title_search_ignoring_case(desk: Desk) -> None:
    alice, bob = await make_user(desk), await make_user(desk)
    printer = await make_request(desk, alice, title='Printer jams on tray 2')
    await make_request(desk, bob, title='Coffee machine')
    cyrillic = await make_request(desk, bob, title='Сломался ПРИНТЕР')
    closed = (await desk.requests.statuses())[2]
    await desk.requests.change_status(actor_id=bob.id, request_id=cyrillic, status_id=closed.id)

    async def ids(**query: object) -> list[int]:
        page = await desk.requests.list(viewer_id=alice.id, query=RequestQuery(**query))  # type: ignore[arg-type]
        return [row.id for row in page.rows]

    assert await ids(search='printer') == [printer]
    assert await ids(search='принтер') == [cyrillic]
    assert await ids(search='100%') == []
    assert await ids(mine=True) == [printer]
    assert await ids(status_id=closed.id) == [cyrillic]


async def test_sort_by_updated_puts_the_last_changed_first(desk: Desk) -> None:
    author = await make_user(desk)
    first = await make_request(desk, author)
    second = await make_request(desk, author)
    progress = (await desk.requests.statuses())[1]
    await desk.requests.change_status(actor_id=author.id, request_id=first, status_id=progress.id)
    page = await desk.requests.list(viewer_id=None, query=RequestQuery(sort='updated'))
    assert [row.id for row in page.rows] == [first, second]
    with pytest.raises(InvalidInput):
        await desk.requests.list(viewer_id=None, query=RequestQuery(sort='title'))


async def test_the_mine_filter_needs_a_signed_in_viewer(desk: Desk) -> None:
    with pytest.raises(NotSignedIn):
        await desk.requests.list(viewer_id=None, query=RequestQuery(mine=True))


async def test_the_author_moves_the_status_along_allowed_transitions_only(desk: Desk) -> None:
    author = await make_user(desk)
    request_id = await make_request(desk, author)
    _open, progress, closed = await desk.requests.statuses()
    changes: list[object] = []
    desk.hub.subscribe(RequestChanged, changes.append, key=request_id)
    await desk.requests.change_status(actor_id=author.id, request_id=request_id, status_id=closed.id)
    view = await desk.requests.open(viewer_id=author.id, request_id=request_id)
    assert view.status == closed and view.request.closed_at is not None
    assert [s.name for s in view.next_statuses] == ['Open']
    with pytest.raises(InvalidTransition):
        await desk.requests.change_status(actor_id=author.id, request_id=request_id, status_id=progress.id)
    assert changes == [RequestChanged(request_id, (await desk.requests.board()).id)]
    async with desk.database.connect() as connection:
        event = (await connection.execute(select(Event).where(Event.kind == 'status.changed'))).one()
    assert (event.actor_id, event.request_id, event.data) == (author.id, request_id, {'from': 'Open', 'to': 'Closed'})


async def test_others_cannot_change_the_status_but_staff_can(desk: Desk) -> None:
    author, other, agent = await make_user(desk), await make_user(desk), await make_user(desk, role='agent')
    request_id = await make_request(desk, author)
    progress = (await desk.requests.statuses())[1]
    with pytest.raises(PermissionDenied):
        await desk.requests.change_status(actor_id=other.id, request_id=request_id, status_id=progress.id)
    assert (await desk.requests.open(viewer_id=other.id, request_id=request_id)).next_statuses == []
    await desk.requests.change_status(actor_id=agent.id, request_id=request_id, status_id=progress.id)


async def test_an_unknown_request_is_not_found(desk: Desk) -> None:
    with pytest.raises(NotFound):
        await desk.requests.open(viewer_id=None, request_id=987654)
    assert await desk.requests.row(viewer_id=None, request_id=987654) is None
