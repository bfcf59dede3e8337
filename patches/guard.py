"""What every patch shares: the installed versions, the ranges they were verified for, and the error a guard raises."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from importlib import metadata


@dataclass(frozen=True)
class Versions:
    """A range like ">=5.18.1,<5.19": `packaging`'s SpecifierSet for the operators we use. `packaging` comes only
    with pytest, not with the app's own dependencies, so the running app cannot count on it."""

    spec: str

    def __contains__(self, version: str) -> bool:
        release = _release(version)
        width = max(len(release), *(len(_release(clause.strip(' <>='))) for clause in self.spec.split(',')))
        release += (0,) * (width - len(release))
        tests = {'>=': lambda a, b: a >= b, '>': lambda a, b: a > b, '<': lambda a, b: a < b,
                 '<=': lambda a, b: a <= b, '==': lambda a, b: a == b}
        for clause in self.spec.split(','):
            operator, bound = re.fullmatch(r'\s*(>=|<=|==|>|<)\s*([\d.]+)\s*', clause).groups()  # type: ignore[union-attr]
            if not tests[operator](release, _padded(bound, len(release))):
                return False
        return True

    def __str__(self) -> str:
        return self.spec


def _release(version: str) -> tuple[int, ...]:
    """The release numbers of a version ("2.1.9", "0.165.0rc1" -> (0, 165, 0)); ValueError when there are none."""
    found = re.match(r'\d+(\.\d+)*', version)
    if found is None:
        raise ValueError(f'not a version: {version!r}')
    return tuple(int(part) for part in found.group().split('.'))


def _padded(bound: str, length: int) -> tuple[int, ...]:
    numbers = _release(bound)
    return numbers + (0,) * (max(length, len(numbers)) - len(numbers))


Verified = Mapping[str, Versions]  # distribution name -> the versions a patch was checked against


class PatchBroken(RuntimeError):
    """A library no longer behaves as a patch relies on; the message names the library and its version."""


def installed_version(distribution: str) -> str | None:
    """The installed version of `distribution`, or None when it is not installed (tests replace this)."""
    try:
        return metadata.version(distribution)
    except metadata.PackageNotFoundError:
        return None


def outside(verified: Verified) -> list[str]:
    """The libraries whose installed version lies outside what was verified, as "name version (range)"."""
    found = []
    for distribution, versions in verified.items():
        version = installed_version(distribution)
        try:
            inside = version is not None and version in versions
        except ValueError:
            inside = False
        if not inside:
            found.append(f'{distribution} {version or "not installed"} (verified: {versions})')
    return found


def broken(distribution: str, verified: Verified, what: str) -> PatchBroken:
    """The error for a library that no longer does `what`: with its name, installed version and verified range."""
    return PatchBroken(f'{distribution} {installed_version(distribution) or "(not installed)"} (patch verified for '
                       f'{verified.get(distribution, "?")}): {what}')


@contextmanager
def guarding(distribution: str, verified: Verified, what: str) -> Iterator[None]:
    """Any failure inside (a renamed private, a changed signature) becomes a PatchBroken naming the library."""
    try:
        yield
    except PatchBroken:
        raise
    except Exception as error:
        raise broken(distribution, verified, f'{what}: {type(error).__name__}: {error}') from error
