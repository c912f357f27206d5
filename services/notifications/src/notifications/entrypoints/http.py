"""A person's messages (the portal inbox) and the timeliness figures operations watch."""

from fastapi import APIRouter, Path, Request
from servicekit.service import runtime_of

router = APIRouter()
PersonIdPath = Path(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_-]+$")


@router.get("/people/{person_id}/messages")
async def messages_of(request: Request, person_id: str = PersonIdPath) -> list[dict]:
    """What the portal shows: `subject` and `body` of each inbox message, newest first."""
    rows = await runtime_of(request).pool.fetch(
        "SELECT notification_id::text, template_id, channel, subject, body, status, created_at"
        " FROM messages WHERE person_id = $1 AND channel = 'inbox' AND status = 'delivered'"
        " ORDER BY created_at DESC", person_id)
    return [dict(r) for r in rows]


@router.get("/ops/timeliness")
async def timeliness(request: Request) -> dict:
    """Seconds from the source event to the message being in the person's inbox (last day)."""
    lag = "extract(epoch FROM created_at - source_event_time)"
    row = await runtime_of(request).pool.fetchrow(
        f"SELECT count(*) AS messages,"
        f" percentile_cont(0.5) WITHIN GROUP (ORDER BY {lag}) AS p50,"
        f" percentile_cont(0.95) WITHIN GROUP (ORDER BY {lag}) AS p95, max({lag}) AS max"
        " FROM messages WHERE channel = 'inbox' AND status = 'delivered'"
        " AND created_at > now() - interval '1 day'")
    return {"messages_last_day": row["messages"],
            "seconds": {k: float(row[k]) if row[k] is not None else None
                        for k in ("p50", "p95", "max")}}
