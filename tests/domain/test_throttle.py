"""Failed sign-ins slow down the address and the username at that address they came from, not the owner elsewhere."""

from __future__ import annotations

from domain.accounts.throttle import (
    FORGET_AFTER,
    FREE_PER_ADDRESS,
    FREE_PER_PAIR,
    MAX_DELAY,
    MAX_KEYS,
    UNDER_ATTACK,
    LoginThrottle,
)
from tests.factories import Clock

HOME, AWAY = '198.51.100.7', '203.0.113.1'


def fail(throttle: LoginThrottle, username: str, address: str, times: int = 1) -> None:
    """Failed attempts, each let through (the clock moves on past any wait)."""
    for _ in range(times):
        clock: Clock = throttle._clock  # type: ignore[assignment]
        clock.now += throttle.wait_time(username, address)
        assert throttle.attempt(username, address) == 0


def test_the_first_failures_at_an_address_cost_nothing() -> None:
    throttle = LoginThrottle(Clock())
    fail(throttle, 'alice', HOME, FREE_PER_PAIR - 1)
    assert throttle.wait_time('alice', HOME) == 0


def test_each_further_failure_doubles_the_wait_up_to_a_cap() -> None:
    clock = Clock()
    throttle = LoginThrottle(clock)
    fail(throttle, 'alice', AWAY, FREE_PER_PAIR)
    assert throttle.wait_time('alice', AWAY) == 1
    clock.now += 1
    fail(throttle, 'alice', AWAY)
    assert throttle.wait_time('alice', AWAY) == 2
    fail(throttle, 'alice', AWAY, 20)
    assert throttle.wait_time('alice', AWAY) == MAX_DELAY


def test_guesses_from_another_address_do_not_slow_the_owner_at_his() -> None:
    throttle = LoginThrottle(Clock())
    for number in range(200):
        fail(throttle, 'admin', f'203.0.113.{number}', FREE_PER_PAIR)
    assert throttle.wait_time('admin', HOME) == 0
    assert throttle.wait_time('admin', '203.0.113.199') > 0


def test_a_username_under_attack_gives_each_other_address_one_free_failure() -> None:
    throttle = LoginThrottle(Clock())
    for number in range(UNDER_ATTACK):
        fail(throttle, 'admin', f'203.0.113.{number}')
    assert throttle.wait_time('admin', '192.0.2.1') == 0  # a fresh address still gets its try
    fail(throttle, 'admin', '192.0.2.1')
    assert throttle.wait_time('admin', '192.0.2.1') == 1
    assert throttle.wait_time('bob', '192.0.2.2') == 0


def test_one_address_trying_many_usernames_is_slowed() -> None:
    throttle = LoginThrottle(Clock())
    for number in range(FREE_PER_ADDRESS):
        fail(throttle, f'user{number}', AWAY)
    assert throttle.wait_time('someone-else', AWAY) == 1
    assert throttle.wait_time('someone-else', HOME) == 0


def test_refused_attempts_count_nothing() -> None:
    clock = Clock()
    throttle = LoginThrottle(clock)
    fail(throttle, 'alice', AWAY, FREE_PER_PAIR)
    refused_at = clock.now
    for _ in range(50):
        assert throttle.attempt('alice', AWAY) > 0
        clock.now += 0.01
    clock.now = refused_at + 1
    assert throttle.attempt('alice', AWAY) == 0


def test_a_success_forgets_the_pairs_failures_but_not_the_addresss() -> None:
    throttle = LoginThrottle(Clock())
    for number in range(FREE_PER_ADDRESS - 1):
        fail(throttle, f'user{number}', AWAY)
    fail(throttle, 'alice', AWAY)
    throttle.succeeded('alice', AWAY)  # a guesser signing in to his own account wipes nothing of his guesses
    assert throttle.wait_time('alice', AWAY) == 0
    fail(throttle, 'carol', AWAY)
    assert throttle.wait_time('carol', AWAY) == 1


def test_failures_are_forgotten_after_a_quiet_while() -> None:
    clock = Clock()
    throttle = LoginThrottle(clock)
    fail(throttle, 'alice', AWAY, 12)
    clock.now += FORGET_AFTER + 1
    assert throttle.wait_time('alice', AWAY) == 0
    fail(throttle, 'alice', AWAY, FREE_PER_PAIR - 1)
    assert throttle.wait_time('alice', AWAY) == 0


def test_memory_stays_bounded_under_a_spray_of_names() -> None:
    throttle = LoginThrottle(Clock())
    for number in range(MAX_KEYS + 10):
        throttle.attempt(f'name{number}', f'10.{number >> 16 & 255}.{number >> 8 & 255}.{number & 255}')
    assert all(len(tally._keys) <= MAX_KEYS for tally in (throttle._pairs, throttle._addresses, throttle._usernames))
