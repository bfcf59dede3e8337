"""The layers' import rules, checked on the code: settings stand alone, the domain never sees storage's driver."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_importing_settings_imports_no_edges_module() -> None:
    # In a fresh interpreter: this test process has imported edges long ago through other tests.
    check = "import settings, sys; assert not any(m == 'edges' or m.startswith('edges.') for m in sys.modules)"
    result = subprocess.run([sys.executable, '-c', check], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
