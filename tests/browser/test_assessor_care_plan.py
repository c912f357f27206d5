"""An assessor works on a person's care plan: resolves the shortfall with a top-up (bad amounts
refused on the field, nothing written), proposes the plan and agrees it on the person's behalf
with a reason; the agreed plan reaches payments."""

import pytest
from devstack.drive import eventually, random_nino

from .staff import ASHA, staff_sign_in

pytestmark = pytest.mark.browser


async def test_a_shortfall_resolved_and_the_plan_agreed_for_the_person(journey, platform) -> None:
    nino = random_nino()
    decided = await platform.submit("browser-plan-work", nino=nino)
    person = decided["person_id"]
    plan = await eventually(lambda: platform.get("care-plans", f"/people/{person}/plan"))
    assert plan["status"] == "draft" and plan["shortfall_pence"] > 0
    shortfall = plan["shortfall_pence"]
    page = journey.page

    await staff_sign_in(journey, ASHA)
    await journey.goto(f"/assessor?view=all&q={nino}")
    async with page.expect_navigation():
        await page.get_by_role("button", name="Take the case of Test Person").click()
    await journey.check()
    await journey.click("Work on the care plan", role="link")
    assert "over the budget" in await journey.text("#plan-summary")

    await page.locator("#top-up-pence").fill("12.345")
    await journey.click("Approve the top-up")
    assert (await journey.title()).startswith("Error: ")
    assert "whole pence" in await journey.text("#top-up-pence-error")
    assert "Give the reason for the top-up" in await journey.text("#reason-error")
    await page.locator("#top-up-pence").fill("1.00")
    await page.locator("#reason").fill("The family pays for the extra hours")
    await journey.click("Approve the top-up")
    assert f"shortfall is {shortfall} pence" in await journey.text("#top-up-pence-error")
    assert (await platform.get("care-plans", f"/plans/{plan['plan_id']}"))[
        "version"
    ] == 1  # nothing written

    await page.locator("#top-up-pence").fill(f"{shortfall // 100}.{shortfall % 100:02d}")
    await journey.click("Approve the top-up")
    assert "2, draft" in await journey.text("#plan-summary")
    await journey.click("Propose the plan to the person")
    assert "3, proposed" in await journey.text("#plan-summary")
    await journey.click("Agree the plan")
    assert "Give the reason you are agreeing" in await journey.text("#reason-error")
    await page.locator("#reason").fill("She asked me to agree it for her at the home visit")
    await journey.click("Agree the plan")
    summary = await journey.text("#plan-summary")
    assert "4, agreed" in summary and "She asked me to agree it for her" in summary

    async def managed() -> dict | None:
        payments = await platform.get("payments", f"/people/{person}/payments")
        split = (payments or {}).get("managed_services")
        return split if split and split["plan_version"] == 4 else None

    assert (await eventually(managed))["plan_id"] == plan["plan_id"]
