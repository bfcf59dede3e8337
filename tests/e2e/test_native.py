"""`python main.py --native` opens a desktop window (pywebview on Qt WebEngine) that shows the sign-in page.

The app runs under Xvfb; a shell script inside the same X session waits for the server, waits for the window to
paint, takes a screenshot of the root window with ImageMagick's `import` and ends the app. The test then reads the
screenshot with tesseract. What a machine needs for this is in docs/native.md.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import signal
import subprocess
import sys
import time
from contextlib import suppress
from pathlib import Path

import pytest

from tests.ports import free_port

pytestmark = pytest.mark.native

ROOT = Path(__file__).resolve().parents[2]
SCREEN = '1280x800x24'
RUN_TIMEOUT = 75  # seconds for the whole xvfb-run session; the script inside bounds itself to about 50
MIN_COLOURS = 64  # an unpainted root window or an empty web view has one or two colours; a rendered page hundreds
SIGN_IN_WORDS = ('Sign in', 'Username', 'Password')  # the form's words: the request list has only "Sign in"

# Runs inside xvfb-run, so the app and the screenshot share one X display.
# Arguments: python, main file, port, screenshot, app log. Exit status: 0 screenshot taken; 3 the server did not
# answer; 4 the window did not paint; 5 the app exited early.
INSIDE_XVFB = r'''
set -u
python=$1 main=$2 port=$3 shot=$4 log=$5
url="http://127.0.0.1:$port/"
set -m  # the app gets a process group of its own, so it and its window process can be ended together
"$python" "$main" --native --port "$port" >"$log" 2>&1 &
app=$!
set +m
stop_app() {
    kill -TERM -- "-$app" 2>/dev/null
    for _ in $(seq 1 50); do kill -0 -- "-$app" 2>/dev/null || return 0; sleep 0.1; done
    kill -KILL -- "-$app" 2>/dev/null
}
trap stop_app EXIT
alive() { kill -0 "$app" 2>/dev/null; }
answers() {
    "$python" -c 'import sys, urllib.request; urllib.request.urlopen(sys.argv[1], timeout=2)' "$url" 2>/dev/null
}

deadline=$((SECONDS + 20))
until answers; do
    alive || exit 5
    [ $SECONDS -lt $deadline ] || exit 3
    sleep 0.5
done
echo "server answered after ${SECONDS}s"

deadline=$((SECONDS + 30))
while :; do
    alive || exit 5
    import -window root "$shot" 2>/dev/null && colours=$(identify -format '%k' "$shot" 2>/dev/null) || colours=0
    [ "${colours:-0}" -gt MIN_COLOURS ] && break
    [ $SECONDS -lt $deadline ] || exit 4
    sleep 1
done
echo "window painted after ${SECONDS}s ($colours colours)"
sleep 3  # let the page settle: fonts, client-side navigation
import -window root "$shot" || exit 4
echo "screenshot taken after ${SECONDS}s"
'''.replace('MIN_COLOURS', str(MIN_COLOURS))


def missing_requirement() -> str | None:
    """Why this machine cannot run the native window test, or None if it can."""
    if importlib.util.find_spec('webview') is None:
        return "pywebview is not installed: pip install -e '.[native]' (see docs/native.md)"
    probe = subprocess.run([sys.executable, '-c', 'from PyQt6 import QtWebEngineWidgets'],
                           capture_output=True, text=True, timeout=60, check=False)
    if probe.returncode != 0:
        last = (probe.stderr.strip().splitlines() or ['?'])[-1]
        return f'PyQt6 WebEngine cannot be loaded ({last}): pip install -e \'.[native]\' and the apt packages ' \
               f'in docs/native.md'
    for tool, package in (('xvfb-run', 'xvfb'), ('import', 'imagemagick'), ('identify', 'imagemagick'),
                          ('tesseract', 'tesseract-ocr')):
        if shutil.which(tool) is None:
            return f'{tool} is missing: apt-get install {package}'
    return None


def app_environment(tmp_path: Path) -> dict[str, str]:
    # Under pytest NiceGUI would ignore native=True and argv (PYTEST_CURRENT_TEST, NICEGUI_USER_SIMULATION); the
    # rest would change the port, the demo switch or the language the window is read in.
    env = {name: value for name, value in os.environ.items()
           if not name.startswith(('PYTEST_', 'NICEGUI_', 'LC_'))
           and name not in {'DISPLAY', 'XAUTHORITY', 'PORT', 'DEMO', 'LANGUAGE'}}
    data = tmp_path / 'data'
    data.mkdir(exist_ok=True)
    env.update(DATA_DIR=str(data), DATABASE_URL=f'sqlite+aiosqlite:///{data / "native.db"}', BCRYPT_ROUNDS='4',
               SECRET_KEY='x', HOST='127.0.0.1', DEFAULT_LANGUAGE='en', LC_ALL='C.UTF-8',  # Accept-Language: en
               QTWEBENGINE_DISABLE_SANDBOX='1')  # Chromium's sandbox refuses to run as root
    return env


def end_session(session: int) -> None:
    """Kill every process still in the session xvfb-run was started in (Xvfb, the app, its window process)."""
    for _ in range(2):
        for stat in Path('/proc').glob('[0-9]*/stat'):
            with suppress(OSError, ValueError, IndexError):
                fields = stat.read_text().rsplit(')', 1)[1].split()
                if int(fields[3]) == session:  # fields after "(comm)": state ppid pgrp session ...
                    os.kill(int(stat.parent.name), signal.SIGKILL)
        time.sleep(0.2)


def run_native_window(tmp_path: Path, main: Path = ROOT / 'main.py',
                      env: dict[str, str] | None = None) -> tuple[int, Path, str]:
    """Start the app under Xvfb and screenshot its window: exit status, screenshot, what the script and app said."""
    script, shot, log = tmp_path / 'inside_xvfb.sh', tmp_path / 'native.png', tmp_path / 'app.log'
    script.write_text(INSIDE_XVFB)
    command = ['xvfb-run', '-a', '-s', f'-screen 0 {SCREEN}', 'bash', str(script),
               sys.executable, str(main), str(free_port()), str(shot), str(log)]
    process = subprocess.Popen(command, cwd=ROOT, env=env or app_environment(tmp_path), start_new_session=True,
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        output, _ = process.communicate(timeout=RUN_TIMEOUT)
    except subprocess.TimeoutExpired:
        end_session(process.pid)
        output, _ = process.communicate()
        output += f'\n(xvfb-run did not finish within {RUN_TIMEOUT}s)'
    finally:
        end_session(process.pid)
        if process.poll() is None:
            process.kill()
            process.wait()
    app_log = log.read_text(errors='replace') if log.exists() else ''
    return process.returncode, shot, f'{output}\n--- app log ---\n{app_log[-4000:]}'


def colours(png: Path) -> int:
    return int(subprocess.run(['identify', '-format', '%k', str(png)], capture_output=True, text=True,
                              check=True, timeout=30).stdout.strip() or 0)


def read_text(png: Path) -> str:
    result = subprocess.run(['tesseract', str(png), 'stdout'], capture_output=True, text=True, check=True, timeout=60)
    return result.stdout


def test_native_window_shows_the_sign_in_page(tmp_path: Path) -> None:
    reason = missing_requirement()
    if reason:
        pytest.skip(reason)

    status, shot, said = run_native_window(tmp_path)

    assert status == 0, f'no screenshot of the native window (status {status}):\n{said}'
    assert colours(shot) > MIN_COLOURS, f'the screenshot {shot} is blank:\n{said}'
    text = read_text(shot)
    words = ' '.join(text.split()).lower()
    missing = [word for word in SIGN_IN_WORDS if word.lower() not in words]
    assert not missing, (f'the window does not show the sign-in page: {missing} not found in the screenshot {shot}. '
                         f'It reads:\n{text}')
