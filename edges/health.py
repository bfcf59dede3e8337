"""/healthz: the process answers. /readyz: it can serve: start-up work done, the database up with its schema."""

from __future__ import annotations

from fastapi import FastAPI
from starlette.requests import Request
from starlette.responses import JSONResponse

from domain.desk import Desk
from storage.health import readiness

STARTING = 'start-up work (demo seeding) not done'


def register(app: FastAPI, desk: Desk) -> None:
    async def healthz(_request: Request) -> JSONResponse:
        return JSONResponse({'status': 'ok'})

    async def readyz(_request: Request) -> JSONResponse:
        reason = await readiness(desk.database)
        if reason is None and not desk.started:  # the database is fine; the demo users may not exist yet
            reason = STARTING
        if reason is not None:  # a load balancer sends no traffic here until this turns 200
            return JSONResponse({'status': 'unavailable', 'reason': reason}, status_code=503)
        return JSONResponse({'status': 'ok'})

    app.add_route('/healthz', healthz, methods=['GET', 'HEAD'], include_in_schema=False)
    app.add_route('/readyz', readyz, methods=['GET', 'HEAD'], include_in_schema=False)
