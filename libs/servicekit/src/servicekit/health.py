"""Liveness, readiness and the operational state of the outbox, inbox and dead letters."""

from collections.abc import Callable
from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import JSONResponse

from servicekit.auth import OPERATIONS, open_access, require
from servicekit.outbox import pending_summary

PROBE = [Depends(open_access("health probes: no personal data"))]
OPERATORS = [Depends(require(roles=[OPERATIONS]))]


def health_router(runtime_of: Callable[[Request], Any]) -> APIRouter:
    router = APIRouter(tags=["health"])

    @router.get("/health/live", dependencies=PROBE)
    async def live() -> dict[str, str]:
        return {"status": "ok"}

    @router.get("/health/ready", dependencies=PROBE)
    async def ready(request: Request) -> JSONResponse:
        checks = await runtime_of(request).readiness()
        ok = all(checks.values())
        return JSONResponse(
            {"status": "ok" if ok else "unavailable", "checks": checks},
            status_code=200 if ok else 503,
        )

    @router.get("/ops/status", dependencies=OPERATORS)
    async def ops_status(request: Request) -> dict[str, Any]:
        runtime = runtime_of(request)
        pool = runtime.pool
        inbox = await pool.fetch(
            "SELECT consumer, count(*) AS processed, max(processed_at) AS last_processed_at"
            " FROM inbox GROUP BY consumer"
        )
        dead = await pool.fetch(
            'SELECT consumer, error_class, reason, topic, partition, "offset", event_id,'
            " event_type, attempts, dead_lettered_at FROM dead_letters"
            " ORDER BY id DESC LIMIT 50"
        )
        return {
            "service": runtime.name,
            "outbox": await pending_summary(pool),
            "relay": {
                "leader": runtime.relay.is_leader if runtime.relay else False,
                "published": runtime.relay.published_count if runtime.relay else 0,
            },
            "inbox": [dict(r) for r in inbox],
            "dead_letters": {
                "count": await pool.fetchval("SELECT count(*) FROM dead_letters"),
                "recent": [dict(r) for r in dead],
            },
        }

    return router
