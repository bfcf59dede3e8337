"""What every patch shares: the installed versions, the ranges they were verified for, and the error a guard raises."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from importlib import metadata

from packaging.specifiers import SpecifierSet
from packaging.version import InvalidVersion


class Versions(SpecifierSet):
    """A range like ">=5.18.1,<5.19" that a patch was verified for; pre-releases inside it count as in it."""

    def __init__(self, spec: str) -> None:
        super().__init__(spec, prereleases=True)

    def __contains__(self, version: object) -> bool:
        try:
            return self.contains(str(version))
        except InvalidVersion:
            return False


Verified = Mapping[str, Versions]  # distribution name -> the versions a patch was checked against


class Switch:
    """The install state of a patch whose own code asks whether it is on (it changes no library object)."""

    def __init__(self) -> None:
        self.on = False

    def install(self) -> None:
        self.on = True

    def uninstall(self) -> None:
        self.on = False

    def installed(self) -> bool:
        return self.on


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
