"""Files that build and ship the project: the locks, the declared bounds, and the CI workflows users can reuse."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
WORKFLOWS = sorted((ROOT / '.github' / 'workflows').glob('*.yml'))


def lint(*paths: Path) -> subprocess.CompletedProcess[str]:
    """check-jsonschema with the GitHub workflow schema it ships (no network)."""
    return subprocess.run([sys.executable, '-m', 'check_jsonschema', '--builtin-schema', 'vendor.github-workflows',
                           *map(str, paths)], capture_output=True, text=True, timeout=120)


def test_both_workflows_are_shipped() -> None:
    assert {path.name for path in WORKFLOWS} == {'ci.yml', 'release.yml'}


def test_the_workflows_pass_the_github_workflow_schema() -> None:
    result = lint(*WORKFLOWS)
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_linter_refuses_a_broken_workflow(tmp_path: Path) -> None:
    broken = tmp_path / 'broken.yml'
    broken.write_text((ROOT / '.github' / 'workflows' / 'ci.yml').read_text().replace('runs-on:', 'runs_on:'))
    assert lint(broken).returncode != 0


def test_ci_runs_the_readmes_test_command_from_the_locks() -> None:
    readme_command = re.search(r'python -m pytest[^`\n]*', (ROOT / 'README.md').read_text())
    assert readme_command is not None
    ci = (ROOT / '.github' / 'workflows' / 'ci.yml').read_text()
    assert f'run: {readme_command.group(0)}' in ci
    assert 'pip install -r requirements-test.lock' in ci


@pytest.mark.parametrize('lock', ['requirements.lock', 'requirements-test.lock', 'requirements-native.lock'])
def test_every_pin_in_a_lock_carries_a_hash(lock: str) -> None:
    text = (ROOT / lock).read_text()
    pins = re.findall(r'^[A-Za-z0-9_.\-\[\]]+==\S+', text, flags=re.M)
    hashed = re.findall(r'^[A-Za-z0-9_.\-\[\]]+==\S+(?: ; [^\\\n]*)? \\\n\s+--hash=sha256:', text, flags=re.M)
    assert pins and len(hashed) == len(pins)


def test_every_declared_library_has_an_upper_bound() -> None:
    import tomllib

    from packaging.requirements import Requirement

    project = tomllib.loads((ROOT / 'pyproject.toml').read_text())['project']
    declared = project['dependencies'] + [dep for extra in project['optional-dependencies'].values() for dep in extra]
    unbounded = [dep for dep in declared if not any(spec.operator in {'<', '<=', '=='}
                                                    for spec in Requirement(dep).specifier)]
    assert unbounded == []
