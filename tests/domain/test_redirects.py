"""Where a browser may be sent after signing in: paths of this site only, whatever a link smuggles in."""

from __future__ import annotations

import pytest

from domain.accounts.redirects import DEFAULT_PAGE, local_path

ATTACKS = [
    '/\t/evil.example/',  # browsers drop tabs and newlines from URLs: this becomes //evil.example/
    '/\n/evil.example/',
    '/\r/evil.example/',
    '\t//evil.example',
    ' /requests',
    '/requests\x00',
    '//evil.example',
    '///evil.example',
    '/\\evil.example',
    '\\\\evil.example',
    '/requests\\..\\x',
    'https://evil.example/',
    'javascript:alert(1)',
    'evil.example',
    '',
    '/\u3000/evil.example',  # an ideographic space
    '/\u2028/evil.example',
    '/ä/',
]


@pytest.mark.parametrize('target', ATTACKS)
def test_anything_but_a_plain_path_of_this_site_falls_back_to_the_default_page(target: str) -> None:
    assert local_path(target) == DEFAULT_PAGE


@pytest.mark.parametrize('target', ['/requests', '/requests/12', '/responses', '/support?tab=chat', '/'])
def test_a_path_of_this_site_is_kept(target: str) -> None:
    assert local_path(target) == target


def test_the_fallback_may_be_chosen() -> None:
    assert local_path('//evil.example', default='/profile') == '/profile'
