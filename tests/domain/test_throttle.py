"""Repeated failed sign-ins for one username wait longer and longer; a success clears them."""

from __future__ import annotations

from domain.throttle import FREE_FAILURES, MAX_DELAY, LoginThrottle


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_the_first_failures_cost_nothing() -> None:
    throttle = LoginThrottle(Clock())
    for _ in range(FREE_FAILURES - 1):
        throttle.failed('alice')
    assert throttle.wait_time('alice') == 0


def test_each_further_failure_doubles_the_wait() -> None:
    clock = Clock()
    throttle = LoginThrottle(clock)
    for _ in range(FREE_FAILURES):
        throttle.failed('alice')
    assert throttle.wait_time('alice') == 1
    throttle.failed('alice')
    assert throttle.wait_time('alice') == 2
    clock.now += 2
    assert throttle.wait_time('alice') == 0


def test_the_wait_is_capped_and_per_username() -> None:
    throttle = LoginThrottle(Clock())
    for _ in range(40):
        throttle.failed('alice')
    assert throttle.wait_time('alice') == MAX_DELAY
    assert throttle.wait_time('bob') == 0


def test_a_success_forgets_the_failures() -> None:
    throttle = LoginThrottle(Clock())
    for _ in range(10):
        throttle.failed('alice')
    throttle.succeeded('alice')
    assert throttle.wait_time('alice') == 0
