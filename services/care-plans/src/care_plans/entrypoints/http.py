"""A person's current care plan, for the portal."""

from fastapi import APIRouter, Request
from servicekit.errors import NotFound
from servicekit.service import runtime_of

router = APIRouter()


@router.get("/people/{person_id}/plan")
async def plan_of(person_id: str, request: Request) -> dict:
    row = await runtime_of(request).pool.fetchrow(
        "SELECT p.plan_id, p.status, v.body FROM plans p JOIN plan_versions v"
        " ON v.plan_id = p.plan_id AND v.number = p.current_version"
        " WHERE p.person_id = $1 ORDER BY p.created_at DESC LIMIT 1",
        person_id,
    )
    if row is None:
        raise NotFound("person_id", "no care plan for this person")
    return {"plan_id": row["plan_id"], **row["body"], "status": row["status"]}
