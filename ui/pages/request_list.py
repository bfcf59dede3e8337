"""/requests: the board, newest first, with filters, search, sort and pages; rows change live."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Hashable

from nicegui import ui

from domain.events import RequestChanged, RequestCreated
from domain.requests.service import RequestPage, RequestQuery
from domain.requests.views import RequestRow

from ..components.keyed_rows import apply_changes, row_changes, sync_rows
from ..components.pager import show_pages
from ..components.request_dialog import new_request_dialog
from ..components.request_row import RequestRowView, list_header
from ..i18n import t
from ..pacer import Pacer, Read, Show
from ..tab import Tab

PACE = Pacer(0.25)  # every open board list of this process refreshes in step, at most four times a second
SORTS = {'created:desc': 'Newest first', 'created:asc': 'Oldest first',
         'updated:desc': 'Recently updated', 'updated:asc': 'Least recently updated'}


def register(routes: dict[str, Callable[..., object]]) -> None:
    routes['/requests'] = request_list


async def request_list(tab: Tab) -> None:
    statuses = await tab.desk.requests.statuses()
    rows: dict[int, RequestRowView] = {}
    shown: RequestPage | None = None
    summary_shown: tuple[int, bool] | None = None
    refreshing = asyncio.Lock()
    viewer_id = tab.user.id if tab.user else None
    wanted: RequestQuery | None = None
    paced: tuple[Hashable, Read, Show] | None = None  # what on_event asks the pacer for: see ask()

    def query(page: int = 1) -> RequestQuery:
        sort, direction = (sort_select.value or 'created:desc').split(':')
        return RequestQuery(status_id=status_filter.value or None, mine=bool(mine and mine.value),
                            search=search.value or '', sort=sort, descending=direction == 'desc', page=page)

    async def show(page: int = 1) -> None:
        """Read the page and change only what differs from what is shown."""
        asked = ask(page)
        async with refreshing:
            result = await tab.desk.requests.list(viewer_id=viewer_id, query=asked)
            if container.is_deleted:
                return
            with container:
                _apply(result)

    def ask(page: int) -> RequestQuery:
        """The query the tab shows from now on. Its paced read and show are made here, once per change of the
        filters or the page, not on every event: a thousand boards each building them per change was a tenth of
        a round (bench/live_load.py scenario 3)."""
        nonlocal wanted, paced
        asked = query(page)
        if asked != wanted:
            wanted = asked
            paced = ((asked, viewer_id if asked.mine else None),
                     lambda: tab.desk.requests.list(viewer_id=viewer_id, query=asked),
                     lambda result: show_read(asked, result))
        return wanted

    def _apply(result: RequestPage) -> None:
        nonlocal shown, summary_shown
        previous, shown = shown, result
        if previous is None:
            sync_rows(container, rows, result.rows, key=_row_id, build=RequestRowView, reuse=True)
        else:  # what changed since the rows shown, worked out once for every tab that showed them
            apply_changes(container, rows, row_changes(previous.rows, result.rows, key=_row_id), key=_row_id,
                          build=RequestRowView)
            if _same_frame(previous, result):
                return
        empty.set_visibility(not result.rows)
        show_pages(pager, result.page, result.pages)
        if summary_shown != (result.total, result.capped):
            summary_shown = (result.total, result.capped)
            summary.set_text(t('Requests: more than {count}', count=result.total) if result.capped
                             else t('Requests: {count}', count=result.total))

    def on_event(_event: RequestCreated | RequestChanged) -> None:
        """Tabs on the same page share one read in the pacer's next round, and no task of their own."""
        if paced is not None:
            read_key, read, show_result = paced
            PACE.request_shown(read_key, read, container, show_result)

    def show_read(asked: RequestQuery, result: RequestPage) -> None:
        if container.is_deleted or asked is not wanted:
            return  # closed, or another page was asked for meanwhile: that read shows it
        with container:
            _apply(result)

    ui.label(t('Requests')).classes('text-h5').props('role=heading aria-level=1')
    with ui.row().classes('w-full items-end gap-x-4 gap-y-2'):  # on a phone: search, then the filters two by two
        search = ui.input(t('Search titles')).props('clearable debounce=300').classes('w-full sm:w-64')
        status_filter = ui.select({0: t('All statuses'), **{s.id: t(s.name) for s in statuses}}, value=0,
                                  label=t('Status')).classes('flex-1 min-w-[8rem] sm:flex-none sm:w-40')
        sort_select = ui.select({key: t(label) for key, label in SORTS.items()}, value='created:desc',
                                label=t('Sort')).classes('flex-1 min-w-[9rem] sm:flex-none sm:w-52')
        mine = ui.checkbox(t('Mine')) if tab.user else None
        ui.space()
        if tab.user:
            dialog = await new_request_dialog(tab)
            ui.button(t('New request'), icon='add', on_click=dialog.open)
        else:
            ui.link(t('Sign in to create a request'), '/login?redirect_to=/requests')
    for control in (search, status_filter, sort_select, *([mine] if mine else [])):
        control.on_value_change(lambda: show(1))

    with ui.element('div').classes('w-full').props(f'role=table aria-label="{t("Requests")}"'):
        list_header()
        container = ui.column().classes('w-full gap-0').props('role=rowgroup').mark('request-list')
    empty = ui.label(t('No requests match.')).classes('text-grey-7 p-2')
    with ui.row().classes('w-full items-center justify-between'):
        summary = ui.label()
        pager = ui.pagination(1, 1, direction_links=True, on_change=lambda e: show(e.value))
    await show(1)

    def on_board(event: RequestCreated | RequestChanged) -> bool:  # support tickets and orders change elsewhere
        return shown is None or event.queue_id in (None, shown.queue_id)

    tab.live.watch(RequestCreated, on_event, container=container, resync=lambda: show(pager.value), only=on_board,
                   in_page=False)
    tab.live.watch(RequestChanged, on_event, container=container, only=on_board, in_page=False)


def _row_id(row: RequestRow) -> int:
    return row.id


def _same_frame(previous: RequestPage, current: RequestPage) -> bool:
    """Whether everything but the rows shows as before: the page, the pager and the count."""
    return (previous.page, previous.pages, previous.total, previous.capped) == \
        (current.page, current.pages, current.total, current.capped)
