"""The generator processes of bench/live_load.py: each holds a share of the simulated tabs (bench/live_worker.py)."""

from __future__ import annotations

import multiprocessing

from live_server import PASSWORD
from live_worker import TabSpec, worker_main


class Generator:
    """The worker processes; a user's tabs all live in one worker (one cookie jar per browser)."""

    def __init__(self, base_urls: list[str], specs: list[TabSpec], workers: int) -> None:
        self.base_urls = base_urls
        self.owner: dict[int, int] = {}  # tab id -> index of its worker's pipe
        self.pipes: list = []
        self.processes: list = []
        self._opening: list = []  # pipes of workers that have not said they are ready
        self.add(specs, workers)

    def add(self, specs: list[TabSpec], workers: int) -> None:
        """More tabs in `workers` more processes (tabs opened after others were measured idle); then ready()."""
        workers = max(1, min(workers, len({spec.username or spec.tab_id for spec in specs})))
        shares: list[list[TabSpec]] = [[] for _ in range(workers)]
        owners: dict[str, int] = {}
        for number, spec in enumerate(specs):
            key = spec.username or f'visitor-{number}'
            owner = owners.setdefault(key, len(owners) % workers)
            shares[owner].append(spec)
        first = len(self.pipes)
        self.owner |= {spec.tab_id: first + index for index, share in enumerate(shares) for spec in share}
        context = multiprocessing.get_context('spawn')
        for share in shares:
            parent, child = context.Pipe()
            process = context.Process(target=worker_main, args=(child, self.base_urls, PASSWORD, share), daemon=True)
            process.start()
            self.pipes.append(parent)
            self.processes.append(process)
            self._opening.append(parent)

    def ready(self, timeout: float) -> tuple[int, list[str]]:
        connected, errors = 0, []
        for pipe in self._opening:
            if not pipe.poll(timeout):
                raise RuntimeError('a generator process did not open its tabs in time')
            _, count, problems = pipe.recv()
            connected += count
            errors += problems
        self._opening = []
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
