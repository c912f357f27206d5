"""Read endpoints the portal uses: a person's award, payments and statements."""

from fastapi import APIRouter, Request

from servicekit.errors import NotFound
from servicekit.service import runtime_of

router = APIRouter()


@router.get("/people/{person_id}/payments")
async def payments_of(person_id: str, request: Request) -> dict:
    pool = runtime_of(request).pool
    award = await pool.fetchrow(
        "SELECT award_id, first_day, uc_claim_id FROM awards WHERE person_id = $1", person_id)
    if award is None:
        raise NotFound("person_id", "no award for this person")
    rows = await pool.fetch(
        "SELECT instruction_id::text, period_start, period_end, due_date, amount_pence, status,"
        " statement FROM scheduled_payments WHERE person_id = $1 ORDER BY period_start", person_id)
    today = request.app.state.today()
    upcoming = [dict(r) for r in rows if r["due_date"] >= today and r["status"] == "scheduled"]
    return {
        "award_id": award["award_id"],
        "first_day": award["first_day"],
        "aligned_to_universal_credit": award["uc_claim_id"] is not None,
        "next_payment": upcoming[0] if upcoming else None,
        "payments": [dict(r) for r in rows],
    }
