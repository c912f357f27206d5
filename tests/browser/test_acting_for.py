"""Someone acts for a person who authorised them: the person adds them, they sign in with their
own identity (no record of their own) and report a change for the person (recorded as made by
them, for the person), and the person sees who acts for them and stops it; in a real browser
on the platform."""

import pytest
from devstack.drive import eventually

from .test_award_journeys import assessors_work

pytestmark = pytest.mark.browser
ACTOR = "test.actor@example.com"  # infra/oidc/test-accounts.json: no Care Benefit record


async def sign_out(journey) -> None:
    """Another sitting: a browser with no cookies (signing out itself is tested elsewhere)."""
    await journey.page.context.clear_cookies()


async def test_a_family_member_acts_for_the_person_until_they_are_removed(
    journey, platform
) -> None:
    person = await platform.submit("browser-acted", nino="TC200011C", date_of_birth="1960-11-25")
    pid = person["person_id"]
    await journey.sign_in("test.acted@example.com")
    await journey.click("People acting for you", role="link")
    await journey.click("Add someone", role="button")
    await journey.click("Add them")
    assert "Enter their full name" in await journey.text(".govuk-error-summary")
    await journey.fill("Their full name", "Ann Actor")
    await journey.fill("Their email address", exact=False, value=ACTOR)
    await journey.page.get_by_label("A family member", exact=True).check()
    await journey.click("Add them")
    assert "They can now sign in and act for you" in await journey.text()
    await sign_out(journey)

    await journey.sign_in(ACTOR)
    assert "You are acting for Test Person" in await journey.text("#acting-for")
    await journey.click("Your award", role="link")
    await journey.click("Report a change", role="button")
    await journey.fill("What has changed?", exact=False, value="Mum has moved in with me")
    await journey.click("Continue")
    await journey.fill_date(person["decision"]["effective_date"])
    await journey.click("Continue")
    await journey.click("Report the change")
    assert await journey.heading() == "Change reported"
    case = await assessors_work(platform, "TC200011C", "change")
    assert [c["reported_by"] for c in case["changes"]] == [
        "urn:fdc:carebenefit.dev:2025:test-actor"
    ]
    await journey.goto("/representatives")
    assert "Only the person you are acting for can change" in await journey.text()
    await sign_out(journey)

    await journey.sign_in("test.acted@example.com")
    await journey.click("People acting for you", role="link")
    assert "Ann Actor" in await journey.text()
    assert ACTOR in await journey.text("#authority-1")
    await journey.click("Remove Ann Actor", role="link", exact=False)
    await journey.click("Yes, stop them acting for me")
    assert "Nobody can act for you" in await journey.text("#nobody")
    await sign_out(journey)

    await journey.sign_in(ACTOR)
    assert await journey.heading() == "We could not find your record"
    decision = await platform.get("assessment", f"/people/{pid}/decision")
    assert decision["decision_id"] == person["decision"]["decision_id"]
    await eventually(lambda: platform.get("care-plans", f"/people/{pid}/plan"))
