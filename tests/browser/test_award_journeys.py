"""A person reads their award and its reasons, asks for a mandatory reconsideration (and
it reaches the assessors' caseload as work, through the assessment API), and reports a change of
circumstances, in a real browser on the real platform. Each test has its own identity
(infra/oidc/test-accounts.json)."""

import pytest
from devstack.drive import eventually
from devstack.tokens import ASSESSOR

pytestmark = pytest.mark.browser


async def decided(platform, nino: str, date_of_birth: str) -> dict:
    person = await platform.submit(f"browser-{nino}", nino=nino, date_of_birth=date_of_birth)
    pid = person["person_id"]
    await eventually(lambda: platform.get("care-plans", f"/people/{pid}/plan"))
    return person


async def assessors_work(platform, nino: str, kind: str) -> dict | None:
    """The person's case as assessors find it in the caseload with this kind of work (searched
    by NINO), read whole; None while it is not there."""
    found = await platform.get(
        "assessment", f"/caseload?view=all&kind={kind}&q={nino}", user=ASSESSOR
    )
    if not found or not found["items"]:
        return None
    return await platform.get("assessment", f"/cases/{found['items'][0]['case_id']}", user=ASSESSOR)


async def test_a_person_reads_their_award_its_reasons_and_earlier_decisions(
    journey, platform
) -> None:
    person = await decided(platform, "TC200001A", "1950-01-15")
    page = await journey.sign_in("test.award@example.com")
    assert await journey.heading() == "Your Care Benefit"
    award = person["decision"]["body"]["award"]["net_weekly_pence"]
    assert f"£{award // 100:,}.{award % 100:02d} a week" in await journey.text("#award")
    await journey.click("Your award", role="link")
    reasons = await journey.text("#reasons")
    for line in person["decision"]["body"]["explanation"]:
        assert line["text"] in reasons
    assert "The Care and Support (Eligibility Criteria) Regulations 2015" in reasons
    await journey.click("Earlier decisions", role="link")
    assert "Version 1: Your claim" in await journey.text()
    assert page.url.endswith("/award/history")


async def test_a_person_asks_for_a_reconsideration_and_it_reaches_the_assessors(
    journey, platform
) -> None:
    person = await decided(platform, "TC200002B", "1951-02-16")
    await journey.sign_in("test.reconsider@example.com")
    await journey.click("Your award", role="link")
    await journey.click("Ask us to look again", role="button")
    await journey.click("Start now", role="button")
    await journey.click("Continue")  # nothing written: told what is missing, on the field
    assert (await journey.title()).startswith("Error: ")
    error_link = journey.page.locator(".govuk-error-summary a")
    assert await error_link.inner_text() == "Enter why you think the decision is wrong"
    assert await error_link.get_attribute("href") == "#reason"
    await journey.fill(
        "Why do you think the decision is wrong?", exact=False, value="I cannot prepare food at all"
    )
    await journey.click("Continue")
    await journey.fill(
        "What did we get wrong? (optional)", exact=False, value="Preparing food was scored 1d"
    )
    await journey.click("Continue")
    await journey.fill(
        "What evidence can you add? (optional)", exact=False, value="A letter from my GP"
    )
    await journey.click("Continue")
    assert "I cannot prepare food at all" in await journey.text(".govuk-summary-list")
    page = await journey.click("Send request")
    assert await journey.heading() == "Request sent" and page.url.endswith("/sent")

    case = await eventually(
        lambda: assessors_work(platform, "TC200002B", "reconsideration"), timeout=10
    )
    [queued] = case["reconsiderations"]
    assert queued["decision_id"] == person["decision"]["decision_id"]
    assert queued["reason"] == "I cannot prepare food at all"
    assert queued["evidence"] == "A letter from my GP"
    assert queued["requested_by"] == "urn:fdc:carebenefit.dev:2025:test-reconsider"
    await journey.goto("/award")
    assert "You asked us to look again" in await journey.text("#reconsideration-pending")


async def test_a_person_reports_a_change_for_an_assessor_to_pick_up(journey, platform) -> None:
    person = await decided(platform, "TC200003C", "1952-03-17")
    await journey.sign_in("test.change@example.com")
    await journey.click("Your award", role="link")
    await journey.click("Report a change", role="button")
    await journey.fill(
        "What has changed?", exact=False, value="My daughter moved in to care for me"
    )
    await journey.click("Continue")
    await journey.fill("Year", "2099")
    await journey.fill("Day", "1")
    await journey.fill("Month", "1")
    await journey.click("Continue")
    assert (await journey.title()).startswith("Error: ")
    assert "must be today or in the past" in await journey.text(".govuk-error-summary")
    effective = person["decision"]["effective_date"]
    await journey.fill_date(effective)
    await journey.click("Continue")
    await journey.click("Report the change")
    assert await journey.heading() == "Change reported"
    case = await assessors_work(platform, "TC200003C", "change")
    assert [(c["what_changed"], c["changed_on"]) for c in case["changes"]] == [
        ("My daughter moved in to care for me", effective)
    ]
    decision = await platform.get("assessment", f"/people/{person['person_id']}/decision")
    assert decision["decision_id"] == person["decision"]["decision_id"]  # nothing decided yet
