"""Every English text of the UI and every domain message has a Russian translation with the same placeholders."""

from __future__ import annotations

import ast
import string
from pathlib import Path

import pytest

from domain import errors
from ui.translations import RU

ROOT = Path(__file__).parent.parent.parent
ERRORS = {name for name, value in vars(errors).items() if isinstance(value, type) and issubclass(value, Exception)}


def texts_shown() -> set[str]:
    """String literals given to t(), raised as domain errors, or listed as labels and statuses."""
    found: set[str] = set()
    migration = ROOT / 'storage/migrations/versions/0002_shipped_workflows.py'
    sources = [*ROOT.glob('ui/**/*.py'), *ROOT.glob('domain/**/*.py'), ROOT / 'channels/oauth.py', migration]
    for path in sources:
        if 'translations' in path.parts:
            continue
        tree = ast.parse(path.read_text())
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and node.args and isinstance(node.args[0], ast.Constant):
                name = getattr(node.func, 'id', getattr(node.func, 'attr', ''))
                if name == 't' or name in ERRORS:
                    found.add(node.args[0].value)
        found |= _refusals(tree)
        found |= _listed(path)
    return found


def _refusals(tree: ast.Module) -> set[str]:
    """What access.require_staff / require_admin say to anyone else: a module's constant, or a literal."""
    constants = {node.targets[0].id: node.value.value for node in tree.body
                 if isinstance(node, ast.Assign) and isinstance(node.targets[0], ast.Name)
                 and isinstance(node.value, ast.Constant) and isinstance(node.value.value, str)}
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and getattr(node.func, 'attr', '') in ('require_staff', 'require_admin'):
            refusal = node.args[2] if len(node.args) > 2 else None
            if isinstance(refusal, ast.Constant):
                found.add(refusal.value)
            elif isinstance(refusal, ast.Name):
                found.add(constants[refusal.id])
    return found


def _listed(path: Path) -> set[str]:
    module = path.read_text()
    listed: set[str] = set()
    if path.name == 'request_list.py':
        from ui.pages.request_list import SORTS
        listed |= set(SORTS.values())
    if path.name == 'request_row.py':
        listed |= {'Title', 'Status', 'Author', 'Created', 'Updated', 'Responses'}
    if path.name == 'errors.py':  # the default message of a constraint that storage reports
        listed.add(errors.ConstraintConflict().template)
    if path.name == 'accounts.py':
        from domain.accounts.service import WRONG_CREDENTIALS
        listed.add(WRONG_CREDENTIALS)
    if path.name == 'oauth.py':  # notices the sign-in routes leave for the next page
        from channels.oauth import MESSAGES
        listed |= set(MESSAGES)
    if 'WORKFLOWS = {' in module:
        namespace: dict[str, object] = {}
        exec(module[module.index('WORKFLOWS = {'):module.index('def _seed_workflows_and_board')], namespace)
        for statuses, _transitions in namespace['WORKFLOWS'].values():  # type: ignore[union-attr]
            listed |= {name for name, _kind in statuses}
    return listed


def test_the_scan_finds_the_texts() -> None:
    assert {'Send', 'Sign in', 'Write a message first.', 'In progress', 'Newest first', 'Responses',
            'Only admins see the jobs.', 'Only staff can see the rules.'} <= texts_shown()


@pytest.mark.parametrize('text', sorted(texts_shown()))
def test_every_text_has_russian_with_the_same_placeholders(text: str) -> None:
    assert text in RU, f'no Russian for {text!r}'
    assert _fields(RU[text]) == _fields(text)


def _fields(text: str) -> set[str]:
    return {name for _literal, name, _spec, _conv in string.Formatter().parse(text) if name}
