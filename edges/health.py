"""/healthz: the process answers. /readyz: it can serve, i.e. the database answers with its schema up to date."""

from __future__ import annotations

from fastapi import FastAPI
from starlette.requests import Request
from starlette.responses import JSONResponse

from storage.database import Database
from storage.health import readiness


def register(app: FastAPI, database: Database) -> None:
    async def healthz(_request: Request) -> JSONResponse:
        return JSONResponse({'status': 'ok'})

    async def readyz(_request: Request) -> JSONResponse:
        reason = await readiness(database)
        if reason is not None:  # a load balancer sends no traffic here until this turns 200
            return JSONResponse({'status': 'unavailable', 'reason': reason}, status_code=503)
        return JSONResponse({'status': 'ok'})

    app.add_route('/healthz', healthz, methods=['GET', 'HEAD'], include_in_schema=False)
    app.add_route('/readyz', readyz, methods=['GET', 'HEAD'], include_in_schema=False)
