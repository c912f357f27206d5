"""Care-plan reviews on a running platform, for the e2e and browser tests (`platform`: the test
session's, conftest.Platform): a person's plan agreed through the care-plans API, then its
review falling due as the weeks pass."""

from datetime import date

import asyncpg
import httpx

from devstack.drive import eventually

_VERSION_DUE = """
UPDATE plan_versions SET body = jsonb_set(body, '{next_review_on}', to_jsonb($2::text))
WHERE plan_id = $1 AND number = (SELECT in_force_version FROM plans WHERE plan_id = $1)
"""
_PLAN_DUE = """
UPDATE plans SET review_due_on = $2::date, review_notice_on = $2::date - 14 WHERE plan_id = $1
"""


async def post(platform, service: str, path: str, body: dict | None = None) -> dict:
    """As the member of staff who would (an assessor; national operations for /ops)."""
    bearer = {"Authorization": f"Bearer {await platform.token(service, path)}"}
    async with httpx.AsyncClient(base_url=platform.url(service), headers=bearer, timeout=30) as h:
        answer = await h.post(path, json=body or {})
    answer.raise_for_status()
    return answer.json()


async def case_of(platform, nino: str) -> str:
    """The id of the person's case (found as an assessor searching every case)."""
    found = await platform.get("assessment", f"/caseload?view=all&q={nino}")
    (item,) = found["items"]
    return item["case_id"]


async def agreed_plan(platform, person_id: str) -> dict:
    """The person's drafted plan, its shortfall topped up, proposed and agreed by an assessor
    for them."""
    plan = await eventually(lambda: platform.get("care-plans", f"/people/{person_id}/plan"))
    at = f"/plans/{plan['plan_id']}"
    if plan["shortfall_pence"]:
        top_up = {"reason": "The family pays for more", "pence": plan["shortfall_pence"]}
        plan = await post(platform, "care-plans", f"{at}/top-up", top_up | _seen(plan))
    plan = await post(platform, "care-plans", f"{at}/propose", _seen(plan))
    agreed = {"reason": "Agreed with her at the home visit"} | _seen(plan)
    return await post(platform, "care-plans", f"{at}/agree", agreed)


async def review_falls_due(platform, plan: dict, due_on: date) -> dict:
    """Weeks pass: the agreed version's review date becomes `due_on` (its notice opens 14 days
    before, as the plan's review policy says), and operations run the review sweep today."""
    conn = await asyncpg.connect(platform.infra.database_url("care_plans"))
    try:
        async with conn.transaction():
            await conn.execute(_VERSION_DUE, plan["plan_id"], due_on.isoformat())
            await conn.execute(_PLAN_DUE, plan["plan_id"], due_on)
    finally:
        await conn.close()
    return await post(platform, "care-plans", "/ops/reviews/run")


def _seen(plan: dict) -> dict:
    return {"seen_version": plan["version"]}
