"""A person reads their care plan, agrees it (and the agreement reaches payments), is told
plainly when the version they were agreeing was replaced meanwhile, and asks for changes, in a
real browser on the real platform."""

import httpx
import pytest
from devstack.drive import eventually

pytestmark = pytest.mark.browser


async def proposed_plan(platform, nino: str, date_of_birth: str) -> dict:  # a plan to agree
    person = await platform.submit(f"browser-{nino}", nino=nino, date_of_birth=date_of_birth)
    pid = person["person_id"]
    plan = await eventually(lambda: platform.get("care-plans", f"/people/{pid}/plan"))
    return await plans_api(platform, "POST", f"/plans/{plan['plan_id']}/propose", seen_version=1)


async def plans_api(platform, method: str, path: str, **body) -> dict:
    """As an assessor would, with their token."""
    headers = {"Authorization": f"Bearer {await platform.token('care-plans')}"}
    async with httpx.AsyncClient(base_url=platform.url("care-plans"), timeout=10) as http:
        answer = await http.request(method, path, json=body, headers=headers)
    answer.raise_for_status()
    return answer.json()


async def test_a_person_agrees_their_plan_and_payments_learns_of_it(journey, platform) -> None:
    plan = await proposed_plan(platform, "TC200004D", "1953-04-18")
    assert plan["shortfall_pence"] > 0  # these needs cost more than the budget
    await journey.sign_in("test.plan@example.com")
    assert "Your care plan costs more than your budget" in await journey.text(".govuk-task-list")
    await journey.click("Care plan", role="link")
    assert plan["items"][0]["description"] in await journey.text("#plan-items")
    assert "Your assessor will either change the services" in await journey.text("#shortfall")
    await journey.click("Agree this plan", role="button")
    assert "version 2" in await journey.text("#plan-version")

    # meanwhile the assessor approves funding for the shortfall: a new version, 3
    await plans_api(
        platform,
        "POST",
        f"/plans/{plan['plan_id']}/top-up",
        seen_version=2,
        reason="The family pays for the extra hours",
        pence=plan["shortfall_pence"],
    )
    await journey.click("Agree plan")
    assert (await journey.title()).startswith("Error: ")
    stale = await journey.text(".govuk-error-summary")
    assert "Your plan changed while you were reading it: it is now version 3" in stale
    assert "version 3" in await journey.text("#plan-version")
    await journey.click("Agree plan")
    assert await journey.heading() == "Plan agreed", await journey.text()

    payments = await eventually(
        lambda: _managed(platform, plan["person_id"], plan["plan_id"]), timeout=30
    )
    assert payments["plan_version"] == 4
    assert payments["top_up_weekly_pence"] == plan["shortfall_pence"]
    await journey.goto("/plan/versions")
    assert "Extra funding of" in await journey.text()


async def _managed(platform, person_id: str, plan_id: str) -> dict | None:
    payments = await platform.get("payments", f"/people/{person_id}/payments")
    managed = (payments or {}).get("managed_services")
    return managed if managed and managed["plan_id"] == plan_id else None


async def test_a_person_asks_for_changes_to_their_plan(journey, platform) -> None:
    plan = await proposed_plan(platform, "TC200008D", "1957-08-22")
    await journey.sign_in("test.planchange@example.com")
    await journey.click("Care plan", role="link")
    meals = plan["items"][0]
    await journey.click(
        "Choose which services to arrange yourself with a direct payment", role="link"
    )
    await journey.page.get_by_label(meals["description"], exact=False).check()
    await journey.click("Continue")
    assert await journey.heading() == "Choice saved"
    chosen = await platform.get("care-plans", f"/plans/{plan['plan_id']}")
    assert (chosen["version"], chosen["status"]) == (3, "draft")
    assert chosen["direct_payment_services"] == [meals["service_code"]]
    plan = await plans_api(platform, "POST", f"/plans/{plan['plan_id']}/propose", seen_version=3)
    await journey.goto("/plan")
    await journey.click("Ask for changes", role="link")
    await journey.click("Send")
    assert (await journey.title()).startswith("Error: ")
    assert "Enter what you would like changed" in await journey.text(".govuk-error-summary")
    await journey.fill("What would you like changed in your plan?", exact=False, value="Mornings")
    await journey.click("Send")
    assert await journey.heading() == "Request sent"
    now = await platform.get("care-plans", f"/plans/{plan['plan_id']}")
    assert (now["status"], now["change_request"]["reason"]) == ("draft", "Mornings")
    assert now["change_request"]["by"] == "urn:fdc:carebenefit.dev:2025:test-planchange"
    await journey.click("Back to your care plan", role="link")
    assert "You asked for changes" in await journey.text("#change-requested")
