"""The stuck list two services draw together, on the real platform in a real browser: a plan
agreed whose managed services payments does not hold. The flow works here, so the test loses
the split on purpose (deletes payments' row) and dates the plan's change an hour back (past the
data file's 30 minutes). Every page is axe-checked (the journey fixture)."""

import asyncpg
import pytest
from devstack.drive import eventually

from .test_operations_console import reload_until, sign_in_as_operator
from .test_plan_journeys import plans_api

pytestmark = pytest.mark.browser


async def sql(platform, database: str, query: str, *args):
    conn = await asyncpg.connect(platform.infra.database_url(database))
    try:
        return await conn.fetchval(query, *args)
    finally:
        await conn.close()


async def agree(platform, plan: dict) -> None:
    path = f"/plans/{plan['plan_id']}"
    proposed = await plans_api(platform, "POST", path + "/propose", seen_version=1)
    if proposed["shortfall_pence"]:
        proposed = await plans_api(
            platform, "POST", path + "/top-up", seen_version=proposed["version"],
            reason="Family pays the difference", pence=proposed["shortfall_pence"],
        )  # fmt: skip
    await plans_api(
        platform, "POST", path + "/agree", seen_version=proposed["version"],
        reason="Agreed with the person by telephone",
    )  # fmt: skip


async def test_an_agreed_plan_payments_never_received_is_listed_as_stuck(journey, platform):
    person = await platform.submit(correlation_id="browser-split")
    pid = person["person_id"]
    plan = await eventually(lambda: platform.get("care-plans", f"/people/{pid}/plan"))
    await agree(platform, plan)
    held = "SELECT count(*) FROM managed_services WHERE person_id = $1"
    await eventually(lambda: sql(platform, "payments", held, pid))
    await sql(platform, "payments", "DELETE FROM managed_services WHERE person_id = $1", pid)
    await sql(
        platform, "care_plans",
        "UPDATE plans SET updated_at = now() - interval '1 hour' WHERE person_id = $1", pid,
    )  # fmt: skip

    await sign_in_as_operator(journey)
    await journey.click("Stuck cases", role="link")
    await reload_until(journey, f"{plan['plan_id']} v")
    section = journey.page.locator("#stuck-agreed_not_in_payments + p + table")
    row = section.locator("tr").filter(has_text=pid)
    assert "payments holds nothing" in await row.inner_text()
