"""Every patch's guard passes on the installed libraries, which lie in the ranges the patches were verified for;
a renamed private makes its guard fail, naming the library and its version."""

from __future__ import annotations

import inspect
from collections.abc import AsyncIterator, Callable
from types import ModuleType

import pytest
import socketio
from fastapi import FastAPI
from nicegui import helpers, observables
from nicegui.client import Client
from sqlalchemy.ext.asyncio import AsyncConnection, create_async_engine
from sqlalchemy.sql.compiler import SQLCompiler

import patches
from patches import direct, fast_path, guard, socket_close
from patches.guard import PatchBroken


async def run_check(module: ModuleType, *args: object) -> None:
    result = module.check(*args)
    if inspect.isawaitable(result):
        await result


@pytest.mark.parametrize('name', patches.NAMES)
async def test_the_guard_of_each_patch_passes_on_the_installed_libraries(name: str) -> None:
    await run_check(patches.modules()[name])


@pytest.mark.parametrize('name', patches.NAMES)
def test_the_installed_libraries_are_the_versions_each_patch_was_verified_for(name: str) -> None:
    assert guard.outside(patches.modules()[name].VERIFIED) == [], \
        f'patches.{name}: verify the patch on these versions (run its guard), then widen VERIFIED'


@pytest.fixture
async def postgres(postgres_url: str | None) -> AsyncIterator[AsyncConnection]:
    if postgres_url is None:
        pytest.skip('PostgreSQL: set TEST_DATABASE_URL')
    engine = create_async_engine(postgres_url)
    try:
        async with engine.connect() as connection:
            yield connection
            await connection.rollback()
    finally:
        await engine.dispose()


async def test_the_direct_guard_runs_statements_on_the_asyncpg_adapters_privates(postgres: AsyncConnection) -> None:
    await direct.check(postgres)


def _without_expects_arguments_lookups(monkeypatch: pytest.MonkeyPatch) -> None:
    # As if NiceGUI imported the function by name: replacing it on `helpers` would reach nobody.
    class Bound:
        expects_arguments = staticmethod(helpers.expects_arguments)
    monkeypatch.setattr(observables, 'helpers', Bound)


def _hand_copied_api_stack(monkeypatch: pytest.MonkeyPatch) -> None:
    # The hand copy this replaced: FastAPI 0.165's ExceptionTelemetryMiddleware missing from it.
    def copy(app: FastAPI, edges: tuple[type, ...]) -> object:
        stack = FastAPI.build_middleware_stack(app)
        return stack.app  # type: ignore[attr-defined]  # one of FastAPI's own layers left out
    monkeypatch.setattr(fast_path, 'api_stack', copy)


async def _handler_without_waits(socket: object, ws: object) -> None:
    # As if engine.io's websocket handler stopped reading packets through `ws.wait`.
    return None


RENAMED: dict[str, tuple[str, Callable[[pytest.MonkeyPatch], None]]] = {
    'socket_emit': ('python-socketio', lambda mp: mp.delattr(socketio.AsyncServer, '_send_packet')),
    'teardown': ('nicegui', lambda mp: mp.delattr(Client, 'remove_elements')),
    'root_timeout': ('nicegui', lambda mp: mp.delattr('nicegui.nicegui._exception_handler_404')),
    'direct': ('sqlalchemy', lambda mp: mp.delattr(SQLCompiler, '_bind_processors')),
    'signature_cache': ('nicegui', _without_expects_arguments_lookups),
    'fast_path': ('fastapi', _hand_copied_api_stack),
    'page_request': ('nicegui', lambda mp: mp.delattr(Client, 'request')),
    'socket_close': ('python-engineio', lambda mp: mp.setattr(socket_close, '_original', _handler_without_waits)),
    'upload_route': ('nicegui', lambda mp: mp.delattr('nicegui.elements.upload.Upload._handle_delete')),
}


@pytest.mark.parametrize('name', RENAMED)
async def test_a_renamed_private_fails_its_guard_naming_the_library_and_its_version(
        name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    distribution, rename = RENAMED[name]
    rename(monkeypatch)
    with pytest.raises(PatchBroken) as raised:
        await run_check(patches.modules()[name])
    version = guard.installed_version(distribution)
    assert version is not None
    assert f'{distribution} {version}' in str(raised.value)
    assert str(patches.modules()[name].VERIFIED[distribution]) in str(raised.value)
