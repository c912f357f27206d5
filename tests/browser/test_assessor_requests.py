"""What people ask for, handled by assessors in the portal: a change of circumstances the person
reported in their portal becomes work in the caseload and is recorded as a reassessment from its
date (a page sent after the case changed in another tab is refused with the case as it is now;
the new award reaches payments); a reconsideration is decided only by a reviewer (the role
on the identity) who neither made nor assessed the original (an error on the page otherwise),
and the superseding decision reaches the person's own portal."""

from datetime import date

import httpx
import pytest
from devstack.drive import eventually, random_nino, submit_assessment
from devstack.tokens import REVIEWER

from .staff import ASHA, GRACE, citizen_sign_in, staff_sign_in

pytestmark = pytest.mark.browser
TARA = {"username": "test.changed@example.com", "nino": "TC300003C", "dob": "1962-09-30"}
SOL = {"username": "test.reconsidered@example.com", "nino": "TC300002B", "dob": "1958-07-14"}


async def save(journey) -> None:
    await journey.click("Save and continue")


async def take(journey, path: str) -> None:
    """Takes the one case the caseload page at `path` lists (the person's record opens)."""
    await journey.goto(path)
    async with journey.page.expect_navigation():
        await journey.page.get_by_role("button", name="Take the case of Test Person").click()
    await journey.check()


async def fill_date(journey, prefix: str, on: str) -> None:
    year, month, day = on.split("-")
    await journey.page.locator(f"#{prefix}-day").fill(str(int(day)))
    await journey.page.locator(f"#{prefix}-month").fill(str(int(month)))
    await journey.page.locator(f"#{prefix}-year").fill(year)


async def submit_and_see_the_decision(journey) -> None:
    await journey.click("Check your answers", role="link")
    await journey.click("Submit the assessment")
    assert await journey.page.locator(".govuk-panel__title").inner_text() == "Decision made"


async def test_a_change_the_person_reported_is_reassessed_from_its_date(journey, platform) -> None:
    decided = await platform.submit("browser-change", nino=TARA["nino"], date_of_birth=TARA["dob"])
    person, before = decided["person_id"], decided["decision"]
    paid = await eventually(lambda: platform.get("payments", f"/people/{person}/payments"))
    effective = before["effective_date"]

    await citizen_sign_in(journey, TARA["username"])
    await journey.click("Your award", role="link")
    await journey.click("Report a change", role="button")
    await journey.fill(
        "What has changed?", exact=False, value="I can now cook with a perching stool"
    )
    await journey.click("Continue")
    await journey.fill_date(effective)
    await journey.click("Continue")
    await journey.click("Report the change")
    assert await journey.heading() == "Change reported"

    await staff_sign_in(journey, ASHA)
    queue = f"/assessor?view=unassigned&kind=change&q={TARA['nino']}"
    await journey.goto(queue)
    assert "They said: “I can now cook with a perching stool”" in await journey.text("#cases")
    await take(journey, queue)
    assert "I can now cook with a perching stool" in await journey.text("#requests-table")
    await journey.click("Record a change of circumstances", role="link")
    assert "I can now cook with a perching stool" in await journey.text("#asked")
    await journey.click("Start the reassessment")
    assert "15 of 16 parts done" in await journey.text("#progress")
    await journey.click("1. Preparing food", role="link")
    await journey.page.locator("#days-1d").fill("")
    await journey.page.locator("#days-1a").fill("1")
    await save(journey)  # on to the one part not done: the date of the change
    assert await journey.heading() == "When did the change happen?"
    await save(journey)
    assert (await journey.title()).startswith("Error: ")
    assert "Enter the date the change happened" in await journey.text(".govuk-error-summary")
    await fill_date(journey, "change", effective)
    await changed_in_another_tab(platform, before["case_id"], effective)
    await save(journey)
    assert await journey.heading() == "The case has changed"
    assert "16 of 16 parts done" in await journey.text("#case-now")
    await journey.click("Go back and try again with the case as it is now", role="link")
    await save(journey)  # the page as it is now: the date the other tab gave
    assert "16 of 16 parts done" in await journey.text("#progress")
    await submit_and_see_the_decision(journey)

    now = await platform.get("assessment", f"/people/{person}/decision")
    assert (now["version"], now["effective_date"]) == (2, effective)
    assert now["body"]["award"] != before["body"]["award"]
    new_monthly = now["body"]["award"]["net_monthly_pence"]
    assert new_monthly != paid["net_monthly_pence"]

    async def paid_anew():
        found = await platform.get("payments", f"/people/{person}/payments")
        return found if found["net_monthly_pence"] == new_monthly else None

    await eventually(paid_anew)
    await journey.goto(queue)
    assert await journey.text("#no-cases") == "There are no cases here."


async def changed_in_another_tab(platform, case_id: str, effective: str) -> None:
    """The same assessor saves the date of the change from another tab, through the API."""
    token = await platform.tokens.staff(ASHA, "assessment")
    bearer = {"Authorization": f"Bearer {token}"}
    async with httpx.AsyncClient(base_url=platform.url("assessment"), timeout=30) as http:
        case = (await http.get(f"/cases/{case_id}", headers=bearer)).raise_for_status()
        saved = await http.put(
            f"/cases/{case_id}/draft/sections/change",
            json={"value": None, "note": "", "effective_date": effective},
            headers=bearer | {"If-Match": case.headers["ETag"]},
        )
    saved.raise_for_status()


async def asked_to_reconsider(platform, decision: dict, reason: str) -> dict:
    """Recorded by an assessor for the person (by telephone), with the assessor's token."""
    bearer = {"Authorization": f"Bearer {await platform.tokens.staff(ASHA, 'assessment')}"}
    async with httpx.AsyncClient(
        base_url=platform.url("assessment"), timeout=30, headers=bearer
    ) as http:
        asked = await http.post(
            f"/decisions/{decision['decision_id']}/reconsiderations",
            json={
                "requested_on": date.today().isoformat(),
                "reason": reason,
                "requested_by": decision["person_id"],
            },
        )
    asked.raise_for_status()
    return asked.json()


async def test_a_reconsideration_is_decided_by_a_different_reviewer(journey, platform) -> None:
    assessment = platform.url("assessment")
    decided = await platform.submit(
        "browser-reconsider", nino=SOL["nino"], date_of_birth=SOL["dob"]
    )
    await asked_to_reconsider(platform, decided["decision"], "My needs are greater than this")
    own_nino = random_nino()
    own = await submit_assessment(
        assessment,
        "browser-own",
        token=await platform.tokens.staff(GRACE, "assessment"),
        nino=own_nino,
    )
    await asked_to_reconsider(platform, own["decision"], "I was assessed on a good day")

    await staff_sign_in(journey, ASHA)  # an assessor without the reviewer role
    await journey.goto("/assessor/reconsiderations")
    assert await journey.heading() == "You cannot see this page"

    await staff_sign_in(journey, GRACE)
    await journey.click("Reconsiderations", role="link")
    assert await journey.heading() == "Reconsiderations to decide"
    await take(journey, f"/assessor/reconsiderations?q={own_nino}")
    await journey.click("Decide the reconsideration", role="link")
    assert "I was assessed on a good day" in await journey.text("#asked")
    await journey.click("Start the reconsideration")
    assert (await journey.title()).startswith("Error: ")
    assert "a different reviewer must decide it" in await journey.text(".govuk-error-summary")
    assert "a different reviewer must decide it" in await journey.text("#start-error")

    queue = f"/assessor/reconsiderations?q={SOL['nino']}"
    await journey.goto(queue)
    assert "They said: “My needs are greater than this”" in await journey.text("#cases")
    await take(journey, queue)
    await journey.click("Decide the reconsideration", role="link")
    assert "My needs are greater than this" in await journey.text("#asked")
    await journey.click("Start the reconsideration")
    assert "My needs are greater than this" in await journey.text("#asked")
    assert "15 of 16 parts done" in await journey.text("#progress")
    await journey.click("Your reasons for the outcome", role="link")
    await save(journey)
    assert (await journey.title()).startswith("Error: ")
    await journey.page.locator("#reasons").fill(
        "The home visit notes support the original descriptors; no new evidence was sent."
    )
    await save(journey)
    await submit_and_see_the_decision(journey)

    person = decided["person_id"]
    # Read as the reviewer, who took the case (anyone else would need a purpose).
    now = await platform.get("assessment", f"/people/{person}/decision", user=REVIEWER)
    assert now["version"] == 2 and now["decision_id"] != decided["decision"]["decision_id"]
    await citizen_sign_in(journey, SOL["username"])
    await journey.goto("/award/history")
    assert "Version 2: Mandatory reconsideration" in await journey.text()
    await journey.goto(queue)  # a person is not shown the assessors' pages
    assert await journey.heading() == "You cannot see this page"
