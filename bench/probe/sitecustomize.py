"""A look inside the soak's server without changing the app: what the collector's frozen set holds, and why.

    SOAK_PROBE=/tmp/probe.txt PYTHONPATH=bench/probe python bench/soak.py --minutes 6

Python imports `sitecustomize` at start-up from PYTHONPATH; bench/live_server.Server passes the environment on to
`python main.py`, so only that process (not the generators) gets a task that appends to $SOAK_PROBE every
$SOAK_PROBE_EVERY seconds (default 60): NiceGUI clients, the frozen count, and once, after $SOAK_PROBE_AT seconds
(default 240), the cyclic garbage: it unfreezes, collects with gc.DEBUG_SAVEALL, counts what was garbage by type,
shows what refers to one garbage object of each kind in $SOAK_PROBE_TRACE (the cycles that kept them) and freezes
again, as the policy's sweep would. Costs seconds of a stalled server per look; for diagnosis only.

SOAK_COLLECT_BEFORE_FREEZE=1 tries a policy change without editing the app: every gc.freeze() first collects the
objects not frozen yet (those tracked since the last freeze), so garbage of the last second is not frozen with
the live objects; the probe's lines then also give that collection's count and time.
"""

from __future__ import annotations

import os
import sys

if os.environ.get('SOAK_PROBE') and sys.argv and sys.argv[0].endswith('main.py'):
    import asyncio
    import gc
    import time
    from collections import Counter
    from pathlib import Path

    from nicegui import Client, app, background_tasks

    OUT = Path(os.environ['SOAK_PROBE'])
    EVERY = float(os.environ.get('SOAK_PROBE_EVERY', '60'))
    AT = float(os.environ.get('SOAK_PROBE_AT', '240'))
    TRACE = os.environ.get('SOAK_PROBE_TRACE', 'Client,TCPTransport,Task,traceback,_CachedRequest,Event').split(',')
    COLLECTS = {'count': 0, 'ms': 0.0, 'max_ms': 0.0, 'found': 0}

    if os.environ.get('SOAK_COLLECT_BEFORE_FREEZE') == '1':
        _freeze = gc.freeze

        def _collect_then_freeze() -> None:
            started = time.perf_counter()
            COLLECTS['found'] += gc.collect()
            took = (time.perf_counter() - started) * 1000
            COLLECTS['count'] += 1
            COLLECTS['ms'] += took
            COLLECTS['max_ms'] = max(COLLECTS['max_ms'], took)
            _freeze()

        gc.freeze = _collect_then_freeze

    def _write(text: str) -> None:
        with OUT.open('a') as out:
            out.write(text + '\n')

    def _name(thing: object) -> str:
        kind = type(thing)
        return f'{kind.__module__}.{kind.__qualname__}'

    def _describe(thing: object, target: object) -> str:
        """A referrer, with where in it the target sits."""
        if hasattr(thing, 'f_code'):
            return f'frame of {thing.f_code.co_qualname} ({thing.f_code.co_filename.rsplit("/", 2)[-2:]})'
        if hasattr(thing, 'tb_frame'):
            return f'traceback at {thing.tb_frame.f_code.co_qualname}'
        if isinstance(thing, asyncio.Task):
            return f'task {thing.get_coro()!r:.120}'
        if isinstance(thing, dict):
            return f'dict with keys {[key for key, value in thing.items() if value is target][:3]} of {len(thing)}'
        if type(thing).__name__ == 'cell':
            return 'cell (a closure variable)'
        if hasattr(thing, '__dict__'):
            return f'{_name(thing)} .{[key for key, value in vars(thing).items() if value is target][:3]}'
        return _name(thing)

    def _garbage() -> None:
        started = time.perf_counter()
        gc.unfreeze()
        gc.set_debug(gc.DEBUG_SAVEALL)
        try:
            found = gc.collect()
            garbage = list(gc.garbage)
        finally:
            gc.garbage.clear()
            gc.set_debug(0)
        ids = {id(thing) for thing in garbage}
        kinds = Counter(_name(thing) for thing in garbage)
        _write(f'garbage: {found} objects in cycles ({time.perf_counter() - started:.1f} s); by type:')
        _write('\n'.join(f'  {count:8d} {name}' for name, count in kinds.most_common(30)))
        _write(f'garbage NiceGUI clients: {sum(isinstance(thing, Client) for thing in garbage)} '
               f'(alive: {len(Client.instances)})')
        sample = None
        for kind in TRACE:  # who, inside the garbage, points at one dead object of this kind: its cycle
            sample = next((thing for thing in garbage if type(thing).__name__ == kind), None)
            if sample is None:
                continue
            _write(f'  a dead {kind} {sample!r:.100} is referred to by:')
            for referrer in gc.get_referrers(sample):
                if id(referrer) in ids:
                    _write(f'    {_describe(referrer, sample)}')
        del garbage, sample
        gc.collect()
        gc.freeze()

    CENSUS = os.environ.get('SOAK_PROBE_CENSUS') == '1'
    _last_census: Counter[str] = Counter()

    def _census() -> None:
        """What lives, by type, after a full collection (a sweep): the types that grew since the last census."""
        started = time.perf_counter()
        gc.unfreeze()
        found = gc.collect()
        kinds = Counter(_name(thing) for thing in gc.get_objects())
        for kind in CHAIN:
            _chain(kind)
        gc.freeze()
        grew = kinds.copy()
        grew.subtract(_last_census)
        total = sum(kinds.values())
        _write(f'census: {total} live tracked objects ({total - sum(_last_census.values()):+d} since the last), '
               f'{found} garbage collected, {time.perf_counter() - started:.1f} s; grew most:')
        _write('\n'.join(f'  {count:+8d} {name} ({kinds[name]})' for name, count in grew.most_common(25)))
        _last_census.clear()
        _last_census.update(kinds)

    CHAIN = [kind for kind in os.environ.get('SOAK_PROBE_CHAIN', '').split(',') if kind]

    def _chain(kind: str, depth: int = 10) -> None:
        """What keeps the newest live object of this type alive: one referrer per step, towards a module or a
        long-lived object. (No closure over the target here: a cell of this function would be its first referrer.)"""
        found = None
        for thing in gc.get_objects():
            if type(thing).__name__ == kind:
                found = thing
        if found is None:
            return
        _write(f'  chain of a live {kind}:')
        seen = {id(found)}
        here = sys._getframe()
        for _ in range(depth):
            referrers = gc.get_referrers(found)
            seen.add(id(referrers))
            kept = []
            for referrer in referrers:
                if id(referrer) not in seen and referrer is not here and not (
                        isinstance(referrer, list) and len(referrer) > 1000):
                    kept.append(referrer)
            seen.add(id(kept))
            del referrers
            if not kept:
                break
            line = []
            for referrer in kept[:3]:
                line.append(_describe(referrer, found)[:160])
            _write('    <- ' + ' | '.join(line))
            found = kept[0]
            seen.add(id(found))
            del kept

    async def _probe() -> None:
        start = time.monotonic()
        looked = False
        while True:
            await asyncio.sleep(EVERY)
            elapsed = time.monotonic() - start
            _write(f'{elapsed / 60:5.1f} min: clients {len(Client.instances)}, frozen {gc.get_freeze_count()}, '
                   f'tracked {len(gc.get_objects())}, gc counts {gc.get_count()}, collects before freeze {COLLECTS}')
            if CENSUS:
                _census()
            if not looked and elapsed >= AT:
                looked = True
                _garbage()

    app.on_startup(lambda: background_tasks.create(_probe(), name='soak probe'))
