"""docs/api.md runs as written: each `bash` block, in order, with curl against the real app on the demo data.

The blocks share one shell state (what a block assigns, the next one sees), every curl fails on a 4xx or 5xx
(`-fsS`), and each answer the page shows (a `json` block after a command) names only fields the real answer has.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from tests.e2e.conftest import PROJECT_ROOT

pytestmark = pytest.mark.e2e
DOC = PROJECT_ROOT / 'docs' / 'api.md'
DEMO_URL = 'http://127.0.0.1:8080'  # where the page says the demo answers
BLOCK = re.compile(r'^```(\w*)\n(.*?)^```', re.MULTILINE | re.DOTALL)
STEP_TIMEOUT = 60


def test_every_bash_block_of_the_api_walkthrough_runs(e2e_server: str, tmp_path: Path) -> None:
    if shutil.which('curl') is None:
        pytest.skip('curl is missing: the walkthrough runs its curl commands as a reader would')
    blocks = BLOCK.findall(DOC.read_text())
    steps = [index for index, (kind, _body) in enumerate(blocks) if kind == 'bash']
    assert len(steps) >= 15, 'the walkthrough lost its steps'
    state = tmp_path / 'state.sh'
    state.write_text('')
    # No proxy of the machine's between curl and the app on 127.0.0.1.
    env = {key: value for key, value in os.environ.items() if 'proxy' not in key.lower()}
    for index in steps:
        body = blocks[index][1]
        assert body.count('curl ') == body.count('curl -fsS '), f'a curl without -fsS (4xx would pass):\n{body}'
        # set -a: what a block assigns is exported, and saved for the next block as `export -p` prints it.
        script = (f'set -euo pipefail\nset -a\nsource {state}\n{body.replace(DEMO_URL, e2e_server)}\n'
                  f'export -p > {state}\n')
        done = subprocess.run(['bash', '-c', script], capture_output=True, text=True, timeout=STEP_TIMEOUT, env=env,
                              cwd=tmp_path)
        assert done.returncode == 0, f'step failed ({done.returncode}):\n{body}\n{done.stderr}{done.stdout}'
        shown = blocks[index + 1] if index + 1 < len(blocks) else ('', '')
        if shown[0] == 'json':
            answer = _last_json(done.stdout)
            assert answer is not None, f'the page shows an answer, the step printed none:\n{body}'
            missing = _missing(json.loads(shown[1]), answer, '')
            assert not missing, f'the page shows fields the answer lacks: {missing}\n{body}\n{done.stdout}'


def test_the_walkthrough_is_linked_from_the_readme_and_the_api_description() -> None:
    from api import DESCRIPTION
    assert 'docs/api.md' in (PROJECT_ROOT / 'README.md').read_text()
    assert 'docs/api.md' in DESCRIPTION


def test_a_shown_field_the_answer_lacks_is_named() -> None:
    shown = {'id': 1, 'status': {'name': 'Open'}, 'items': [{'total': 5}]}
    assert _missing(shown, {'id': 2, 'status': {'name': 'Closed'}, 'items': [{'total': 9}]}, '') == []
    assert _missing(shown, {'id': 2, 'status': {}, 'items': [{}]}, '') == ['status.name', 'items[0].total']
    assert _last_json('{"a": 1}\n{"b": 2}') == {'b': 2}


def _missing(shown: Any, real: Any, path: str) -> list[str]:
    if isinstance(shown, dict):
        if not isinstance(real, dict):
            return [path or '.']
        return [found for key, value in shown.items()
                for found in ([f'{path}.{key}'.lstrip('.')] if key not in real
                              else _missing(value, real[key], f'{path}.{key}'))]
    if isinstance(shown, list) and shown:
        if not isinstance(real, list) or not real:
            return [f'{path}[0]']
        return _missing(shown[0], real[0], f'{path}[0]')
    return []


def _last_json(output: str) -> Any:
    """The last JSON value a step printed (a step may print several answers one after the other)."""
    decoder, position, last = json.JSONDecoder(), 0, None
    while (position := _skip_space(output, position)) < len(output):
        try:
            last, position = decoder.raw_decode(output, position)
        except ValueError:
            return last
    return last


def _skip_space(text: str, position: int) -> int:
    while position < len(text) and text[position].isspace():
        position += 1
    return position
