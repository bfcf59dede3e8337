"""Rate limits: 429 with Retry-After and the API's error shape, per user or address, stricter on sign-in."""

from __future__ import annotations

import httpx
import pytest
from starlette.types import Receive, Scope, Send

from edges.buckets import TokenBuckets
from edges.client_ip import ClientAddress
from edges.ratelimit import RateLimitMiddleware
from settings import Rate
from tests.edges.conftest import Serve
from tests.factories import PASSWORD, make_user

TOKENS = {'alice-token': 1, 'bob-token': 2}


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


async def ok(scope: Scope, receive: Receive, send: Send) -> None:
    await send({'type': 'http.response.start', 'status': 200, 'headers': []})
    await send({'type': 'http.response.body', 'body': b'ok'})


def client(*, api: str = '3/minute', auth: str = '2/minute', trusted: tuple[str, ...] = (),
           clock: Clock | None = None, peer: str = '203.0.113.5') -> httpx.AsyncClient:
    limited = RateLimitMiddleware(ok, api=Rate.parse(api), auth=Rate.parse(auth), client_address=ClientAddress(trusted),
                                  peek=TOKENS.get, clock=clock or Clock())
    return httpx.AsyncClient(transport=httpx.ASGITransport(limited, client=(peer, 1234)), base_url='http://test')


async def statuses(http: httpx.AsyncClient, path: str, count: int, **kwargs: object) -> list[int]:
    return [(await http.get(path, **kwargs)).status_code for _ in range(count)]  # type: ignore[arg-type]


async def test_the_request_past_the_limit_gets_429_with_retry_after_and_the_error_shape() -> None:
    async with client(api='3/minute') as http:
        assert await statuses(http, '/api/v1/requests', 3) == [200, 200, 200]
        response = await http.get('/api/v1/requests')
    assert response.status_code == 429
    assert response.headers['retry-after'] == '20'  # one token comes back every 60 / 3 seconds
    assert response.headers['content-type'] == 'application/json'
    assert response.json() == {'error': {'code': 'rate_limited', 'message': 'Too many requests; try again in 20 s.'}}


async def test_tokens_come_back_over_time() -> None:
    clock = Clock()
    async with client(api='2/second', clock=clock) as http:
        assert await statuses(http, '/api/x', 3) == [200, 200, 429]
        clock.now += 0.5
        assert await statuses(http, '/api/x', 2) == [200, 429]


async def test_pages_and_other_paths_are_not_limited() -> None:
    async with client(api='1/minute') as http:
        assert await statuses(http, '/requests/1', 5) == [200] * 5
        assert await statuses(http, '/healthz', 5) == [200] * 5


async def test_each_user_has_a_budget_of_their_own_and_visitors_share_their_address() -> None:
    async with client(api='2/minute') as http:
        alice = {'headers': {'Authorization': 'Bearer alice-token'}}
        bob = {'headers': {'Authorization': 'Bearer bob-token'}}
        forged = {'headers': {'Authorization': 'Bearer made-up'}}
        assert await statuses(http, '/api/v1/requests', 3, **alice) == [200, 200, 429]
        assert await statuses(http, '/api/v1/requests', 2, **bob) == [200, 200]
        # An invalid token counts against the address, with requests that carry none.
        assert await statuses(http, '/api/v1/requests', 1, **forged) == [200]
        assert await statuses(http, '/api/v1/requests', 2) == [200, 429]


async def test_sign_in_endpoints_have_a_stricter_limit_per_address() -> None:
    async with client(api='10/minute', auth='2/minute') as http:
        tries = [(await http.post('/api/v1/auth/token')).status_code for _ in range(3)]
        assert tries == [200, 200, 429]
        assert (await http.post('/api/v1/auth/register/')).status_code == 429  # the same budget, slash or not
        assert await statuses(http, '/api/v1/requests', 2) == [200, 200]


async def test_x_forwarded_for_is_ignored_from_an_untrusted_peer() -> None:
    async with client(api='1/minute') as http:
        assert (await http.get('/api/x', headers={'X-Forwarded-For': '198.51.100.1'})).status_code == 200
        # A client cannot buy a fresh budget by naming another address.
        assert (await http.get('/api/x', headers={'X-Forwarded-For': '198.51.100.2'})).status_code == 429


async def test_x_forwarded_for_names_the_client_behind_a_trusted_proxy() -> None:
    async with client(api='1/minute', trusted=('10.0.0.0/8',), peer='10.0.0.7') as http:
        one = {'headers': {'X-Forwarded-For': '198.51.100.1'}}
        # The leftmost entry is the client's own claim; the proxy appended what it saw.
        spoofed = {'headers': {'X-Forwarded-For': '192.0.2.99, 198.51.100.2, 10.0.0.3'}}
        assert await statuses(http, '/api/x', 2, **one) == [200, 429]
        assert await statuses(http, '/api/x', 2, **spoofed) == [200, 429]


def test_the_client_address_reads_forwarded_hops_from_the_right() -> None:
    address = ClientAddress(['10.0.0.0/8', '::1'])

    def scope(peer: str, forwarded: str | None) -> Scope:
        headers = [(b'x-forwarded-for', forwarded.encode())] if forwarded is not None else []
        return {'type': 'http', 'client': (peer, 1), 'headers': headers}

    assert address(scope('203.0.113.5', '1.2.3.4')) == '203.0.113.5'
    assert address(scope('10.0.0.1', None)) == '10.0.0.1'
    assert address(scope('10.0.0.1', '1.2.3.4, 10.0.0.2')) == '1.2.3.4'
    assert address(scope('::1', '10.0.0.2, 10.0.0.3')) == '10.0.0.2'  # proxies all the way: the farthest one
    assert address(scope('10.0.0.1', 'junk')) == '10.0.0.1'
    assert address({'type': 'http', 'client': None, 'headers': []}) == 'unknown'


def test_idle_buckets_are_forgotten_and_the_count_stays_bounded() -> None:
    clock = Clock()
    buckets = TokenBuckets(Rate.parse('5/minute'), clock=clock, max_keys=3)
    for key in range(10):
        buckets.take(key)
    assert len(buckets) <= 4
    clock.now += 61
    buckets.take('late')
    buckets.take('later')
    assert len(buckets) <= 3


@pytest.mark.parametrize(('text', 'count', 'seconds'), [
    ('120/minute', 120, 60), ('10/Second', 10, 1), ('1000 / 5 minutes', 1000, 300), ('5/hours', 5, 3600),
    ('3/day', 3, 86400)])
def test_rates_are_read_from_the_settings_text(text: str, count: int, seconds: float) -> None:
    assert Rate.parse(text) == Rate(count, seconds)


@pytest.mark.parametrize('text', ['', '120', 'ten/minute', '0/minute', '5/fortnight', '5/0 minutes', '-1/second'])
def test_a_malformed_rate_is_refused_with_the_setting_named(text: str) -> None:
    with pytest.raises(ValueError, match=r'RATE_LIMIT_API=.*expected "<count>/<period>"'):
        Rate.parse(text, 'RATE_LIMIT_API')


async def test_the_app_limits_its_api_from_the_settings(serve: Serve) -> None:
    async with serve(RATE_LIMIT_API='2/minute', RATE_LIMIT_AUTH='1/minute') as served:
        # No API route needs to exist: whatever answers, the request counts.
        first, second, third = [await served.http.get('/api/v1/not-yet') for _ in range(3)]
        # A token comes back every 30 s; the real clock ran on while the three requests went (seconds on a busy
        # machine), so the wait left is up to 30 s.
        assert third.status_code == 429 and 1 <= int(third.headers['retry-after']) <= 30
        assert third.json()['error']['code'] == 'rate_limited'
        assert first.status_code != 429 and second.status_code != 429
        assert (await served.http.get('/healthz')).status_code == 200


async def test_the_app_counts_a_signed_in_user_apart_from_their_address(serve: Serve) -> None:
    async with serve(RATE_LIMIT_API='2/minute') as served:
        user = await make_user(served.desk)
        pair = await served.desk.tokens.sign_in(username=user.username, password=PASSWORD)
        bearer = {'Authorization': f'Bearer {pair.access_token}'}
        anonymous = [(await served.http.get('/api/v1/not-yet')).status_code for _ in range(3)]
        signed_in = [(await served.http.get('/api/v1/not-yet', headers=bearer)).status_code for _ in range(3)]
    assert anonymous[2] == 429 and 429 not in anonymous[:2]
    assert signed_in[2] == 429 and 429 not in signed_in[:2]
