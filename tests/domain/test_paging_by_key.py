"""Reads for clients that page by key (the API) on both databases: after the last row, no counting."""

from __future__ import annotations

from domain.desk import Desk
from domain.requests.service import RequestQuery
from domain.slices import MAX_ROWS
from tests.factories import make_request, make_user, unique


async def test_the_board_pages_by_time_and_id_in_either_direction(desk: Desk) -> None:
    author = await make_user(desk)
    ids = [await make_request(desk, author) for _ in range(5)]
    query = RequestQuery(mine=True)
    seen, after = [], None
    while True:
        found = await desk.requests.browse(viewer_id=author.id, query=query, after=after, limit=2)
        seen += [row.id for row in found.rows]
        if not found.more:
            break
        after = (found.rows[-1].created_at, found.rows[-1].id)
    assert seen == ids[::-1]
    oldest = await desk.requests.browse(viewer_id=author.id, query=RequestQuery(mine=True, descending=False),
                                        limit=2)
    assert [row.id for row in oldest.rows] == ids[:2] and oldest.more
    progress = (await desk.requests.statuses())[1]
    await desk.requests.change_status(actor_id=author.id, request_id=ids[0], status_id=progress.id)
    updated = await desk.requests.browse(viewer_id=author.id, query=RequestQuery(mine=True, sort='updated'), limit=1)
    assert [row.id for row in updated.rows] == [ids[0]]


async def test_a_page_holds_at_most_the_maximum(desk: Desk) -> None:
    author = await make_user(desk)
    await make_request(desk, author)
    found = await desk.requests.browse(viewer_id=author.id, query=RequestQuery(mine=True), limit=10 * MAX_ROWS)
    assert len(found.rows) == 1 and not found.more
    assert (await desk.requests.browse(viewer_id=author.id, query=RequestQuery(mine=True), limit=0)).rows


async def test_users_page_by_name(desk: Desk) -> None:
    admin = await make_user(desk, role='admin')
    prefix = unique('by')
    names = sorted([(await make_user(desk, username=f'{prefix}{n}')).username for n in range(3)])
    first = await desk.users.browse(actor_id=admin.id, search=prefix, limit=2)
    rest = await desk.users.browse(actor_id=admin.id, search=prefix, after=first.rows[-1].username.casefold(),
                                   limit=2)
    assert [u.username for u in first.rows + rest.rows] == names and first.more and not rest.more


async def test_a_request_shows_each_viewer_the_conversations_they_may_read(desk: Desk) -> None:
    author, bob, carol = await make_user(desk), await make_user(desk), await make_user(desk)
    agent = await make_user(desk, role='agent')
    request_id = await make_request(desk, author)
    for responder in (bob, carol):
        await desk.conversations.post(actor_id=responder.id, request_id=request_id, text='hi')
    for viewer, expected in ((author, {bob.id, carol.id}), (agent, {bob.id, carol.id}), (bob, {bob.id})):
        rows = await desk.conversations.of_request(viewer_id=viewer.id, request_id=request_id)
        assert {row.counterpart_id for row in rows} == expected


async def test_messages_read_from_the_first_one_on(desk: Desk) -> None:
    author, bob = await make_user(desk), await make_user(desk)
    request_id = await make_request(desk, author)
    first = await desk.conversations.post(actor_id=bob.id, request_id=request_id, text='m0')
    for n in range(1, 4):
        await desk.conversations.post(actor_id=bob.id, request_id=request_id, text=f'm{n}',
                                      conversation_id=first.conversation_id)

    async def bodies(**kwargs: object) -> list[str]:
        rows = await desk.conversations.messages_after(viewer_id=author.id, request_id=request_id,
                                                       conversation_id=first.conversation_id, **kwargs)  # type: ignore[arg-type]
        return [row.body for row in rows]

    assert await bodies(after_id=0, limit=2, from_start=True) == ['m0', 'm1']
    assert await bodies(after_id=0, limit=2) == ['m2', 'm3']  # the latest, as an opened page wants them
