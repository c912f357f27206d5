"""Liveness, readiness and the operational state of the outbox, inbox and dead letters."""

import contextlib
from collections.abc import Callable
from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import JSONResponse

from servicekit.auth import OPERATIONS, open_access, require
from servicekit.deadletter import dead_letter_summary
from servicekit.outbox import pending_summary
from servicekit.skipped import skipped_summary

UPSTREAMS = ("database", "kafka")
PROBE = [Depends(open_access("health probes: no personal data"))]
OPERATORS = [Depends(require(roles=[OPERATIONS]))]


async def readiness_checks(runtime: Any) -> dict[str, bool]:
    """Database and broker answer, and no supervised task (relay, jobs, consumer) is failing."""
    checks = {"database": False, "kafka": False, "background_tasks": True}
    with contextlib.suppress(Exception):
        checks["database"] = await runtime.pool.fetchval("SELECT 1", timeout=2) == 1
    with contextlib.suppress(Exception):
        checks["kafka"] = bool(await runtime.broker.ping(timeout=2))
    checks["background_tasks"] = not runtime.supervisor.reasons()
    return checks


def health_router(runtime_of: Callable[[Request], Any]) -> APIRouter:
    router = APIRouter(tags=["health"])

    @router.get("/health/live", dependencies=PROBE)
    async def live() -> dict[str, str]:
        return {"status": "ok"}

    @router.get("/health/ready", dependencies=PROBE)
    async def ready(request: Request) -> JSONResponse:
        runtime = runtime_of(request)
        checks = await runtime.readiness()
        ok = all(checks.values())
        body = {
            "status": "ok" if ok else "unavailable",
            "checks": checks,
            "reasons": [f"{part} is not answering" for part in UPSTREAMS if not checks[part]]
            + runtime.supervisor.reasons(),
            "tasks": {name: h.view() for name, h in runtime.supervisor.tasks.items()},
        }
        return JSONResponse(body, status_code=200 if ok else 503)

    @router.get("/ops/status", dependencies=OPERATORS)
    async def ops_status(request: Request) -> dict[str, Any]:
        runtime = runtime_of(request)
        pool = runtime.pool
        inbox = await pool.fetch(
            "SELECT consumer, count(*) AS processed, max(processed_at) AS last_processed_at"
            " FROM inbox GROUP BY consumer"
        )
        return {
            "service": runtime.name,
            "outbox": await pending_summary(pool),
            "relay": {
                "leader": runtime.relay.is_leader if runtime.relay else False,
                "published": runtime.relay.published_count if runtime.relay else 0,
            },
            "tasks": {name: h.view() for name, h in runtime.supervisor.tasks.items()},
            "inbox": [dict(r) for r in inbox],
            "dead_letters": await dead_letter_summary(pool),
            "skipped_events": await skipped_summary(pool),
        }

    return router
