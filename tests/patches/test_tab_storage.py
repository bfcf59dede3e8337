"""A closed tab's empty in-memory tab storage is let go (patches.tab_storage)."""

from __future__ import annotations

from nicegui import app

from patches import tab_storage


async def test_an_empty_closed_tab_storage_goes_and_one_holding_something_stays() -> None:
    assert await tab_storage.closed_tabs() == (True, True, True)
    await tab_storage.check()


async def test_installed_it_is_what_the_app_storage_closes_with() -> None:
    tab_storage.install()
    try:
        await app.storage._create_tab_storage('test-closed-tab')
        await app.storage.close_tab('test-closed-tab')
        assert 'test-closed-tab' not in app.storage._tabs
    finally:
        tab_storage.uninstall()
