"""Operations views: who we cannot reach, what failed for good, and the Prometheus metrics."""

from fastapi import APIRouter, Query, Request, Response
from servicekit.service import runtime_of

from notifications.adapters.metrics import CONTENT_TYPE

router = APIRouter(tags=["operations"])


@router.get("/ops/contact-gaps")
async def contact_gaps(request: Request, limit: int = Query(100, ge=1, le=1000)) -> dict:
    """People only the portal inbox reached, or whose chosen channel was unusable, and why."""
    pool = runtime_of(request).pool
    rows = await pool.fetch(
        "SELECT person_id, reason, last_event_id, messages_affected, first_seen, last_seen"
        " FROM contact_gaps ORDER BY last_seen DESC LIMIT $1", limit)
    return {"count": await pool.fetchval("SELECT count(*) FROM contact_gaps"),
            "people": [dict(r) for r in rows]}


@router.get("/ops/failed-messages")
async def failed_messages(request: Request, limit: int = Query(100, ge=1, le=1000)) -> dict:
    """Messages that will not be sent (again) by themselves, newest first; no contact details."""
    pool = runtime_of(request).pool
    rows = await pool.fetch(
        "SELECT notification_id::text, person_id, business_event_id, template_id, channel,"
        " attempts, reason, updated_at FROM messages WHERE status = 'permanent_failure'"
        " ORDER BY updated_at DESC LIMIT $1", limit)
    count = await pool.fetchval("SELECT count(*) FROM messages WHERE status = 'permanent_failure'")
    return {"count": count, "messages": [dict(r) for r in rows]}


@router.get("/metrics", include_in_schema=False)
async def metrics(request: Request) -> Response:
    body = await request.app.state.metrics.exposition(runtime_of(request).pool)
    return Response(body, media_type=CONTENT_TYPE)
