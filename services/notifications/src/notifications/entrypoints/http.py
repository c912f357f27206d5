"""A person's messages (the portal inbox) and the timeliness figures operations watch."""

from fastapi import APIRouter, Request

from servicekit.service import runtime_of

router = APIRouter()


@router.get("/people/{person_id}/messages")
async def messages_of(person_id: str, request: Request) -> list[dict]:
    rows = await runtime_of(request).pool.fetch(
        "SELECT notification_id::text, template_id, channel, subject, body, status, created_at"
        " FROM messages WHERE person_id = $1 AND channel = 'inbox' ORDER BY created_at DESC",
        person_id)
    return [dict(r) for r in rows]


@router.get("/ops/timeliness")
async def timeliness(request: Request) -> dict:
    """Seconds from the source event to the message being in the person's inbox."""
    row = await runtime_of(request).pool.fetchrow(
        "SELECT count(*) AS messages,"
        " percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM created_at - source_event_time)) AS p50,"
        " percentile_cont(0.95) WITHIN GROUP (ORDER BY extract(epoch FROM created_at - source_event_time)) AS p95,"
        " max(extract(epoch FROM created_at - source_event_time)) AS max"
        " FROM messages WHERE channel = 'inbox' AND created_at > now() - interval '1 day'")
    return {"messages_last_day": row["messages"],
            "seconds": {k: float(row[k]) if row[k] is not None else None for k in ("p50", "p95", "max")}}
