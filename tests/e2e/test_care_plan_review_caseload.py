"""A care plan's review reaches the assessor's caseload through the real broker: care-plans'
ReviewDue puts it there (then ReviewOverdue marks it overdue), and the review completed in
care-plans clears it."""

from datetime import date, timedelta

import pytest
from devstack.drive import eventually, random_nino
from devstack.plan_reviews import agreed_plan, case_of, post, review_falls_due

pytestmark = pytest.mark.e2e
ASHA = "urn:carebenefit:staff:asha-patel"  # the assessor whose token platform.get uses


async def test_a_review_due_is_on_the_caseload_until_the_review_is_completed(platform) -> None:
    nino = random_nino()
    decided = await platform.submit("e2e-plan-review", nino=nino)
    case_id, person = await case_of(platform, nino), decided["person_id"]
    plan = await agreed_plan(platform, person)
    await post(platform, "assessment", f"/cases/{case_id}/assignment", {"assigned_to": ASHA})

    async def item(want: str):
        found = await platform.get("assessment", f"/caseload?view=mine&q={nino}")
        items = [i for i in found["items"] if i["case_id"] == case_id]
        return items[0] if items and items[0]["work"] == want else None

    due_on = date.today() + timedelta(days=5)
    swept = await review_falls_due(platform, plan, due_on)
    assert [d["plan_id"] for d in swept["due"]] == [plan["plan_id"]]
    due = await eventually(lambda: item("care_plan_review"))
    assert (due["due_on"], due["overdue"], due["due_soon"]) == (due_on.isoformat(), False, True)

    late = date.today() - timedelta(days=2)
    swept = await review_falls_due(platform, plan, late)
    assert [d["plan_id"] for d in swept["overdue"]] == [plan["plan_id"]]
    overdue = await eventually(
        lambda: _when(item("care_plan_review"), lambda i: i["due_on"] == late.isoformat())
    )
    assert overdue["overdue"]

    at = f"/plans/{plan['plan_id']}"
    started = await post(
        platform, "care-plans", f"{at}/start-review", {"seen_version": plan["version"]}
    )
    assert started["status"] == "under_review"
    assert (await item("care_plan_review")) is not None  # still work until it is completed
    done = await post(
        platform, "care-plans", f"{at}/complete-review", {"seen_version": started["version"]}
    )
    assert done["status"] == "agreed"
    cleared = await eventually(lambda: item("none"))
    assert cleared["due_on"] is None


async def _when(found, test):
    value = await found
    return value if value and test(value) else None
