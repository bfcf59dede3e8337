"""Slows down failed sign-ins per client address and per username at an address, so a guesser slows himself."""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import dataclass

# OWASP's advice against guessing without handing attackers a lock-out: count failures per address and per
# (username, address), never per username alone, or a wrong password from anywhere keeps the owner out.
FREE_PER_PAIR = 3  # one person's typos at one place cost nothing
FREE_PER_ADDRESS = 20  # all usernames from one address: an office behind one NAT, or one address spraying names
UNDER_ATTACK = 50  # failures for one username from all addresses: beyond it each address gets FREE_UNDER_ATTACK
FREE_UNDER_ATTACK = 1  # so many addresses buy a guess each, then back off; a fresh address still gets its try
MAX_DELAY = 300.0  # the back-off doubles per failure beyond the free ones, up to this
FORGET_AFTER = 900.0  # seconds without a failure after which a key's failures no longer count
MAX_KEYS = 100_000  # per tally: bounded memory under a spray of made-up names and addresses


@dataclass
class _Failures:
    count: int = 0
    last: float = 0.0


class _Tally:
    """Failures per key; quiet keys are forgotten, and beyond MAX_KEYS the least recently failed."""

    def __init__(self, clock: Callable[[], float]) -> None:
        self._clock = clock
        # An OrderedDict, as in edges/buckets.py: taking from the front of a plain dict slows down as deleted
        # slots pile up there.
        self._keys: OrderedDict[Hashable, _Failures] = OrderedDict()

    def get(self, key: Hashable) -> _Failures:
        failures = self._keys.get(key)
        if failures is None or self._clock() - failures.last > FORGET_AFTER:
            return _Failures()
        return failures

    def add(self, key: Hashable) -> None:
        now = self._clock()
        self._keys[key] = _Failures(self.get(key).count + 1, now)
        self._keys.move_to_end(key)  # least recently failed first
        for _ in range(2):  # quiet keys from the front, and past the bound any: at most one new key per call
            oldest_key, oldest = next(iter(self._keys.items()))
            if now - oldest.last <= FORGET_AFTER and len(self._keys) <= MAX_KEYS:
                return
            del self._keys[oldest_key]

    def take_back(self, key: Hashable) -> None:
        failures = self._keys.get(key)
        if failures is not None and failures.count > 0:
            failures.count -= 1

    def forget(self, key: Hashable) -> None:
        self._keys.pop(key, None)

    def wait(self, key: Hashable, free: int) -> float:
        failures = self.get(key)
        if failures.count < free:
            return 0.0
        delay = min(2.0 ** (failures.count - free), MAX_DELAY)
        return max(0.0, failures.last + delay - self._clock())


class LoginThrottle:
    """Per address and per (username, address) back-off; a username under attack tightens only the pairs' budget."""

    # An attempt counts as failed from the moment it is let through, so a burst of parallel guesses is counted
    # before the first password check ends; `succeeded` takes it back. Refused attempts count nothing: trying
    # again early costs the guesser no more than waiting, and lengthens no one's wait.

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._pairs = _Tally(clock)
        self._addresses = _Tally(clock)
        self._usernames = _Tally(clock)  # across all addresses: decides how many free failures a pair has

    def wait_time(self, username_key: str, address: str) -> float:
        """Seconds before this username may be tried from this address again (0 when it may now)."""
        under_attack = self._usernames.get(username_key).count >= UNDER_ATTACK
        free = FREE_UNDER_ATTACK if under_attack else FREE_PER_PAIR
        return max(self._pairs.wait((username_key, address), free),
                   self._addresses.wait(address, FREE_PER_ADDRESS))

    def attempt(self, username_key: str, address: str) -> float:
        """0 when the attempt may go ahead (counted as failed until `succeeded`); else seconds to wait."""
        wait = self.wait_time(username_key, address)
        if wait == 0:
            self._pairs.add((username_key, address))
            self._addresses.add(address)
            self._usernames.add(username_key)
        return wait

    def succeeded(self, username_key: str, address: str) -> None:
        """The password was right: the pair starts afresh; the address keeps its other failures."""
        self._pairs.forget((username_key, address))
        self._addresses.take_back(address)
        self._usernames.take_back(username_key)
