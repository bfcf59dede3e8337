"""A real server serves nothing until start-up seeding is done: its first page means the demo users exist."""

from __future__ import annotations

import json
import urllib.request
from pathlib import Path

from tests.e2e.conftest import app_server


def test_the_demo_users_sign_in_as_soon_as_the_first_page_answers(tmp_path: Path) -> None:
    # Production's bcrypt cost: seeding the demo users then takes about a second, the window this is about.
    with app_server(tmp_path, env={'BCRYPT_ROUNDS': '12'}) as base_url:
        request = urllib.request.Request(f'{base_url}/api/v1/auth/token', method='POST',
                                         data=json.dumps({'username': 'user', 'password': 'password'}).encode(),
                                         headers={'Content-Type': 'application/json'})
        opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
        with opener.open(request, timeout=10) as response:
            assert response.status == 200
            assert 'access_token' in json.loads(response.read())
