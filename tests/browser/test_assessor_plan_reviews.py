"""Care-plan reviews on the assessor's caseload: an overdue review listed first and marked, one
due soon after it, each with its date; the assessor follows the overdue one to the care plan,
starts and completes the review, and it leaves the caseload."""

from datetime import date, timedelta

import pytest
from devstack.drive import eventually, random_nino
from devstack.plan_reviews import agreed_plan, case_of, post, review_falls_due

from .staff import ASHA, STAFF_SUBJECTS, staff_sign_in

pytestmark = pytest.mark.browser
REVIEWS = "/assessor?view=mine&kind=care_plan_review"


async def _my_plan_due(platform, due_on: date) -> tuple[str, str]:
    """A person decided, their plan agreed, their case on Asha's caseload, the plan's review
    due on `due_on` (swept, and on the caseload); their NINO and case id."""
    nino = random_nino()
    decided = await platform.submit("browser-plan-review", nino=nino)
    plan = await agreed_plan(platform, decided["person_id"])
    case_id = await case_of(platform, nino)
    mine = {"assigned_to": STAFF_SUBJECTS[ASHA]}
    await post(platform, "assessment", f"/cases/{case_id}/assignment", mine)
    await review_falls_due(platform, plan, due_on)

    async def listed():
        found = await platform.get("assessment", f"/caseload?view=mine&q={nino}")
        return any(i["work"] == "care_plan_review" for i in found["items"])

    await eventually(listed)
    return nino, case_id


async def test_plan_reviews_on_the_caseload_overdue_first_cleared_when_done(
    journey, platform
) -> None:
    today = date.today()
    soon, _ = await _my_plan_due(platform, today + timedelta(days=3))
    late, late_case = await _my_plan_due(platform, today - timedelta(days=4))
    page = journey.page

    await staff_sign_in(journey, ASHA)
    await journey.goto(REVIEWS)
    rows = page.locator("#cases tbody tr")
    texts = [await rows.nth(i).inner_text() for i in range(await rows.count())]
    ours = [t for t in texts if late in t or soon in t]
    assert len(ours) == 2 and late in ours[0] and soon in ours[1]  # overdue first
    assert "Care plan review: overdue" in ours[0]
    assert "Care plan review: due soon" in ours[1]
    overdue_row = page.locator("#cases tbody tr", has_text=late)
    late_on = today - timedelta(days=4)
    assert f"{late_on.day} {late_on:%B %Y}" in await overdue_row.inner_text()

    async with page.expect_navigation():
        await overdue_row.get_by_role("link", name="Review the care plan", exact=False).click()
    await journey.check()
    assert page.url.endswith(f"/assessor/cases/{late_case}/care-plan")
    await journey.click("Start the review")
    assert "under review" in await journey.text("#plan-summary")
    await journey.click("Complete the review: the plan still meets the needs")
    assert "agreed" in await journey.text("#plan-summary")

    async def cleared() -> bool:
        await journey.goto(REVIEWS)
        return await page.locator("#cases tbody tr", has_text=late).count() == 0

    assert await eventually(cleared)
    assert await page.locator("#cases tbody tr", has_text=soon).count() == 1
