"""The layers' import rules, checked on the code: settings stand alone, the domain never sees storage's driver."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_importing_settings_imports_no_edges_module() -> None:
    # In a fresh interpreter: this test process has imported edges long ago through other tests.
    check = "import settings, sys; assert not any(m == 'edges' or m.startswith('edges.') for m in sys.modules)"
    result = subprocess.run([sys.executable, '-c', check], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr


def test_no_domain_module_imports_sqlalchemy() -> None:
    # Storage turns its errors into domain ones (ConstraintConflict); the domain names no driver or ORM.
    offenders = []
    for path in sorted((ROOT / 'domain').rglob('*.py')):
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            names = [alias.name for alias in node.names] if isinstance(node, ast.Import) else \
                [node.module or ''] if isinstance(node, ast.ImportFrom) and not node.level else []
            offenders += [f'{path.relative_to(ROOT)}: {name}' for name in names
                          if name == 'sqlalchemy' or name.startswith('sqlalchemy.')]
    assert offenders == []
