"""Password guessing from many addresses slows the guesser's addresses, never the owner at his own."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator, Callable

import httpx
import pytest
from nicegui import core

from domain.accounts.throttle import LoginThrottle
from domain.desk import Desk
from tests.factories import PASSWORD, Clock, make_user

ATTACKERS = [f'203.0.113.{number}' for number in range(1, 27)]  # addresses A..Z (TEST-NET-3)
OWNER = '198.51.100.7'
From = Callable[[str], httpx.AsyncClient]


@pytest.fixture
async def from_address(api_desk: Desk) -> AsyncIterator[From]:
    """API clients, each calling from the address it was made for."""
    clients: dict[str, httpx.AsyncClient] = {}

    def make(address: str) -> httpx.AsyncClient:
        if address not in clients:
            transport = httpx.ASGITransport(core.app, client=(address, 40000))
            clients[address] = httpx.AsyncClient(transport=transport, base_url='http://test/api/v1')
        return clients[address]

    yield make
    for client in clients.values():
        await client.aclose()


@pytest.fixture
def clock(api_desk: Desk) -> Clock:
    """The sign-in throttle's time, moved on by the test."""
    clock = Clock()
    api_desk.accounts.throttle = LoginThrottle(clock)
    return clock


async def guess(client: httpx.AsyncClient, username: str, password: str = 'not the password') -> httpx.Response:
    return await client.post('/auth/token', json={'username': username, 'password': password})


async def test_the_owner_gets_in_from_his_address_while_others_keep_guessing_his_password(
        api_desk: Desk, from_address: From, clock: Clock) -> None:
    admin = await make_user(api_desk, role='admin')
    for _ in range(10):  # a wrong password from each of A..Z every few seconds
        for address in ATTACKERS:
            assert (await guess(from_address(address), admin.username)).status_code in {400, 429}
        clock.now += 5
    response = await guess(from_address(OWNER), admin.username, PASSWORD)
    assert response.status_code == 200, response.text


async def test_the_guessers_address_is_refused_and_told_when_to_try_again(
        api_desk: Desk, from_address: From, clock: Clock) -> None:
    admin = await make_user(api_desk, role='admin')
    for _ in range(10):
        for address in ATTACKERS:
            await guess(from_address(address), admin.username)
        clock.now += 5
    response = await guess(from_address(ATTACKERS[0]), admin.username, PASSWORD)  # the right one waits its turn too
    assert response.status_code == 429
    message = response.json()['error']['message']
    seconds = re.fullmatch(r'Too many failed attempts\. Try again in (\d+) s\.', message)
    assert seconds, message
    assert int(response.headers['Retry-After']) == int(seconds[1]) > 5  # the back-off grew past the attack's pace
    assert (await guess(from_address(OWNER), admin.username, PASSWORD)).status_code == 200


async def test_refused_attempts_do_not_lengthen_the_wait(api_desk: Desk, from_address: From, clock: Clock) -> None:
    admin = await make_user(api_desk, role='admin')
    attacker = from_address(ATTACKERS[0])
    assert [(await guess(attacker, admin.username)).status_code for _ in range(3)] == [400, 400, 400]
    first = await guess(attacker, admin.username)
    assert first.status_code == 429
    wait, refused_at = int(first.headers['Retry-After']), clock.now
    for _ in range(20):  # refused over and over while waiting: not counted, so the wait ends when it said
        clock.now += wait / 25
        assert (await guess(attacker, admin.username)).status_code == 429
    clock.now = refused_at + wait
    assert (await guess(attacker, admin.username, PASSWORD)).status_code == 200
