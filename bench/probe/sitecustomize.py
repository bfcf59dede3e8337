"""A look inside the soak's server without changing the app: what the collector's frozen set holds, and why.

    SOAK_PROBE=/tmp/probe.txt PYTHONPATH=bench/probe python bench/soak.py --minutes 6

Python imports `sitecustomize` at start-up from PYTHONPATH; bench/live_server.Server passes the environment on to
`python main.py`, so only that process (not the generators) gets a task that appends to $SOAK_PROBE every
$SOAK_PROBE_EVERY seconds (default 60): NiceGUI clients, the frozen count, and once, after $SOAK_PROBE_AT seconds
(default 240), the cyclic garbage: it unfreezes, collects with gc.DEBUG_SAVEALL, counts what was garbage by type,
shows what refers to one garbage Client (the cycle that kept it) and freezes again, as the policy's sweep would.
Costs a second or two of a stalled server per look; for diagnosis only.
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

    def _write(text: str) -> None:
        with OUT.open('a') as out:
            out.write(text + '\n')

    def _name(thing: object) -> str:
        kind = type(thing)
        return f'{kind.__module__}.{kind.__qualname__}'

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
        clients = [thing for thing in garbage if isinstance(thing, Client)]
        _write(f'garbage NiceGUI clients: {len(clients)} (alive: {len(Client.instances)})')
        if clients:  # who, inside the garbage, points at a dead client: the cycle
            for referrer in gc.get_referrers(clients[0]):
                if id(referrer) in ids:
                    detail = {key for key, value in vars(referrer).items() if value is clients[0]} \
                        if hasattr(referrer, '__dict__') else ''
                    _write(f'  refers to a dead client: {_name(referrer)} {detail or ""}')
        del garbage, clients
        gc.collect()
        gc.freeze()

    async def _probe() -> None:
        start = time.monotonic()
        looked = False
        while True:
            await asyncio.sleep(EVERY)
            elapsed = time.monotonic() - start
            _write(f'{elapsed / 60:5.1f} min: clients {len(Client.instances)}, frozen {gc.get_freeze_count()}, '
                   f'tracked {len(gc.get_objects())}, gc counts {gc.get_count()}')
            if not looked and elapsed >= AT:
                looked = True
                _garbage()

    app.on_startup(lambda: background_tasks.create(_probe(), name='soak probe'))
