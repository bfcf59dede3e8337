"""The generator processes of bench/live_load.py: each holds a share of the simulated tabs (bench/live_worker.py)."""

from __future__ import annotations

import multiprocessing

from live_server import PASSWORD
from live_worker import TabSpec, worker_main


class Generator:
    """The worker processes; a user's tabs all live in one worker (one cookie jar per browser)."""

    def __init__(self, base_urls: list[str], specs: list[TabSpec], workers: int) -> None:
        shares: list[list[TabSpec]] = [[] for _ in range(workers)]
        owners: dict[str, int] = {}
        for number, spec in enumerate(specs):
            key = spec.username or f'visitor-{number}'
            owner = owners.setdefault(key, len(owners) % workers)
            shares[owner].append(spec)
        self.owner = {spec.tab_id: index for index, share in enumerate(shares) for spec in share}
        context = multiprocessing.get_context('spawn')
        self.pipes = []
        self.processes = []
        for share in shares:
            parent, child = context.Pipe()
            process = context.Process(target=worker_main, args=(child, base_urls, PASSWORD, share), daemon=True)
            process.start()
            self.pipes.append(parent)
            self.processes.append(process)

    def ready(self, timeout: float) -> tuple[int, list[str]]:
        connected, errors = 0, []
        for pipe in self.pipes:
            if not pipe.poll(timeout):
                raise RuntimeError('a generator process did not open its tabs in time')
            _, count, problems = pipe.recv()
            connected += count
            errors += problems
        return connected, errors

    def command(self, tab_id: int, *command: object) -> None:
        self.pipes[self.owner[tab_id]].send(command)

    def broadcast(self, *command: object) -> None:
        for pipe in self.pipes:
            pipe.send(command)

    def cpu(self) -> float:
        self.broadcast('cpu')
        return sum(pipe.recv()[1] for pipe in self.pipes)

    def results(self) -> tuple[list, dict[str, float], float, int, list[str]]:
        self.broadcast('results')
        arrivals, sends, cpu, connected, errors = [], {}, 0.0, 0, []
        for pipe in self.pipes:
            if not pipe.poll(60):
                raise RuntimeError('a generator process did not report')
            _, got, sent, used, count, problems = pipe.recv()
            arrivals += got
            sends.update({text: at for text, _tab, at in sent})
            cpu, connected, errors = cpu + used, connected + count, errors + problems
        for process in self.processes:
            process.join(10)
            if process.is_alive():
                process.kill()
        return arrivals, sends, cpu, connected, errors
