"""py-spy on the server during one phase of a live-load run, and a flat summary of where its time went.

    .venv/bin/python bench/live_profile.py DIR/drive.txt [--top 40]

py-spy's raw format is one collapsed stack per line with a sample count; the summary prints the functions with
the most samples anywhere on the stack (inclusive) and at the top of it (self), both as a share of all samples.
"""

from __future__ import annotations

import argparse
import shutil
import signal
import subprocess
import sys
from collections import Counter
from pathlib import Path

PROFILE_RATE = '400'  # samples a second: a status change's round lasts a fifth of a second


class Profiler:
    """Samples the process `pid` into DIR/<phase>.txt until `stop`; does nothing without a DIR."""

    def __init__(self, pid: int, directory: Path | None, phase: str) -> None:
        self.process: subprocess.Popen[bytes] | None = None
        if directory is None:
            return
        spy = shutil.which('py-spy', path=str(Path(sys.executable).parent)) or shutil.which('py-spy')
        if spy is None:
            raise SystemExit('--profile needs py-spy: pip install py-spy')
        directory.mkdir(parents=True, exist_ok=True)
        self.process = subprocess.Popen([spy, 'record', '--pid', str(pid), '--rate', PROFILE_RATE, '--format', 'raw',
                                         '--output', str(directory / f'{phase}.txt'), '--nonblocking'],
                                        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    def stop(self) -> None:
        if self.process is not None:
            self.process.send_signal(signal.SIGINT)  # py-spy writes its file on SIGINT
            self.process.wait(timeout=60)


def summarize(path: Path, top: int) -> str:
    inclusive: Counter[str] = Counter()
    own: Counter[str] = Counter()
    total = 0
    for line in path.read_text().splitlines():
        stack, _, count = line.rpartition(' ')
        if not stack:
            continue
        samples = int(count)
        frames = [frame.split(' (')[0] + ' ' + frame.split(' (')[-1].split(':')[0].rsplit('/', 1)[-1]
                  for frame in stack.split(';')]
        total += samples
        for frame in set(frames):
            inclusive[frame] += samples
        own[frames[-1]] += samples
    lines = [f'{total} samples']
    lines += ['-- inclusive --'] + [f'{100 * n / total:5.1f} %  {name}' for name, n in inclusive.most_common(top)]
    lines += ['-- self --'] + [f'{100 * n / total:5.1f} %  {name}' for name, n in own.most_common(top)]
    return '\n'.join(lines)


if __name__ == '__main__':
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument('path', type=Path)
    parser.add_argument('--top', type=int, default=40)
    arguments = parser.parse_args()
    print(summarize(arguments.path, arguments.top))
