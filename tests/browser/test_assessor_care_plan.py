"""An assessor works on a person's care plan: resolves the shortfall with a top-up (bad amounts
refused on the field, nothing written), proposes the plan and agrees it on the person's behalf
with a reason; the agreed plan reaches payments. An assessor changes an item and records another
way a need is met, and the person reads the new version."""

import httpx
import pytest
from devstack.drive import eventually, random_nino

from .staff import ASHA, citizen_sign_in, staff_sign_in

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


UMA = {"username": "test.planned@example.com", "nino": "TC300004D", "dob": "1947-02-11"}


async def test_an_assessor_changes_an_item_and_records_another_way_a_need_is_met(
    journey, platform
) -> None:
    """Bad answers are refused on the field (nothing written); each change is checked, then
    made as a new draft version; the person then reads that version in their portal."""
    decided = await platform.submit(
        "browser-plan-items", nino=UMA["nino"], date_of_birth=UMA["dob"]
    )
    person = decided["person_id"]
    plan = await eventually(lambda: platform.get("care-plans", f"/people/{person}/plan"))
    plan_path = f"/plans/{plan['plan_id']}"
    catalogue = await platform.get("care-plans", f"{plan_path}/services")
    item = plan["items"][0]
    [offered] = [s for s in catalogue["services"] if s["service_code"] == item["service_code"]]
    provider = offered["providers"][-1]
    page = journey.page

    await staff_sign_in(journey, ASHA)
    await journey.goto(f"/assessor?view=all&q={UMA['nino']}")
    async with page.expect_navigation():
        await page.get_by_role("button", name="Take the case of Test Person").click()
    await journey.check()
    await journey.click("Work on the care plan", role="link")

    # change the first item's hours and provider
    await journey.click(f"Change {item['description']}", role="link")
    assert await journey.heading() == f"Change {item['description'].lower()}"
    await page.locator("#units").fill("lots")
    await journey.click("Continue")
    assert (await journey.title()).startswith("Error: ")
    assert "must be a whole number" in await journey.text(".govuk-error-summary")
    await page.locator("#units").fill("3")
    await page.get_by_label(provider["name"], exact=True).check()
    await journey.click("Continue")
    assert await journey.heading() == "Check the change before you make it"
    summary = await journey.text("#change-summary")
    assert f"3 {item['unit']}s a week" in summary and provider["name"] in summary
    assert (await platform.get("care-plans", plan_path))["version"] == 1  # nothing written yet
    await journey.click("Make the change")
    assert await journey.heading() == "Care plan changed"
    assert "Version 2 is a draft" in await journey.text(".govuk-panel")
    changed = await platform.get("care-plans", plan_path)
    [now] = [i for i in changed["items"] if i["service_code"] == item["service_code"]]
    assert (now["units_per_week"], now["provider_id"]) == (3, provider["provider_id"])
    assert now["weekly_cost_pence"] == 3 * provider["unit_rate_pence"]

    # record another way one of the needs the changed item does not help with is met
    need = next(o for o in plan["outcomes"] if o not in item["outcomes"])
    need_text = plan["outcome_texts"][need].capitalize()
    await journey.click("Back to the care plan", role="link")
    await journey.click("Record another way a need is met", role="link")
    await journey.click("Continue")
    assert "Select the need that is met another way" in await journey.text(".govuk-error-summary")
    await page.get_by_label(need_text, exact=True).check()
    await journey.click("Continue")
    await page.get_by_label("An unpaid carer", exact=True).check()
    await journey.click("Continue")
    assert (await journey.title()).startswith("Error: ")
    assert "Say who or what meets the need" in await journey.text("#description-error")
    await page.get_by_label("Who or what meets it, and how").fill("Her son visits every evening")
    await journey.click("Continue")
    assert "Her son visits every evening" in await journey.text("#change-summary")
    # meanwhile another assessor proposes version 2: the check page is stale, nothing is written
    await propose(platform, plan_path, seen_version=2)
    await journey.click("Make the change")
    assert (await journey.title()).startswith("Error: ")
    stale = await journey.text(".govuk-error-summary")
    assert "The plan changed while you were working on it: it is now version 3, proposed" in stale
    assert "This makes version 4" in await journey.text()
    await journey.click("Make the change")
    assert "Version 4 is a draft" in await journey.text(".govuk-panel")
    recorded = await platform.get("care-plans", plan_path)
    assert recorded["other_support"] == [
        {"outcome": need, "kind": "unpaid_carer", "description": "Her son visits every evening"}
    ]
    assert all(need not in i["outcomes"] for i in recorded["items"])
    await journey.click("Back to the care plan", role="link")
    assert "Her son visits every evening" in await journey.text("#other-support")

    # removing the only service for a need is refused on the page, and nothing is written
    await journey.click(f"Remove {item['description']}", role="link")
    await journey.click("Continue")
    assert "Select yes if you want to remove" in await journey.text(".govuk-error-summary")
    await page.get_by_label("Yes", exact=True).check()
    await journey.click("Continue")
    assert (await journey.title()).startswith("Error: ")
    assert "met neither by a service nor another way" in await journey.text("#remove-error")
    assert (await platform.get("care-plans", plan_path))["version"] == 4

    # so is removing the other support while no service meets that need
    await journey.click("Back", role="link")
    await journey.click(f"Remove how {plan['outcome_texts'][need]} is met", role="link")
    assert "Her son visits every evening" in await journey.text()
    await page.get_by_label("Yes", exact=True).check()
    await journey.click("Continue")
    assert "met neither by a service nor another way" in await journey.text("#remove-error")
    await page.get_by_label("No", exact=True).check()
    await journey.click("Continue")
    assert "Her son visits every evening" in await journey.text("#other-support")
    assert (await platform.get("care-plans", plan_path))["version"] == 4

    async def told_of_each_draft() -> list[dict] | None:
        inbox = await platform.inbox(person) or []
        ready = [m for m in inbox if m["template_id"] == "care-plan-ready"]
        return ready if len(ready) == 3 else None

    assert await eventually(told_of_each_draft)  # versions 1, 2 and 4, each a draft

    # the person reads the new version
    await citizen_sign_in(journey, UMA["username"])
    await journey.click("Care plan", role="link")
    assert "Version 4" in await journey.text("h1")
    assert "Her son visits every evening" in await journey.text("#other-support")
    assert f"3 {item['unit']}s" in await journey.text("#plan-items")
    await journey.click("Earlier versions of your plan", role="link")
    assert f"Now met another way: {plan['outcome_texts'][need]}" in await journey.text()


async def propose(platform, plan_path: str, seen_version: int) -> None:
    """As another assessor would, through the care-plans API."""
    headers = {"Authorization": f"Bearer {await platform.token('care-plans')}"}
    async with httpx.AsyncClient(base_url=platform.url("care-plans"), timeout=10) as http:
        answer = await http.post(
            f"{plan_path}/propose", json={"seen_version": seen_version}, headers=headers
        )
    answer.raise_for_status()
