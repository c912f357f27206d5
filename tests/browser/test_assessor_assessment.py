"""An assessor takes a new claim from the queue and records the whole assessment as a task list
(the majority-of-days rule on one activity, the Care Act outcomes, no carer, the means pre-filled
from Universal Credit), stopping and coming back halfway; bad answers get an error on the field
and save nothing; check answers shows the calculator's decision; the submitted decision reaches
payments and the person's own portal."""

from datetime import date

import pytest
from devstack.benefits_simulator import claim_opened, period_assessed, publish
from devstack.drive import eventually

from .staff import ASHA, citizen_sign_in, open_case, staff_sign_in

pytestmark = pytest.mark.browser
RUTH = {"username": "test.assessed@example.com", "nino": "TC300001A"}  # test-accounts.json
ONE_DESCRIPTOR = {  # activity -> the descriptor that applies on its own (1 day of 1)
    "2": "2b",
    "3": "3b",
    "4": "4c",
    "5": "5b",
    "6": "6c",
    "7": "7a",
    "8": "8a",
    "9": "9a",
    "10": "10b",
    "11": "11b",
    "12": "12c",
}


async def save(journey) -> None:
    await journey.click("Save and continue")


async def one_descriptor(journey, code: str) -> None:
    await journey.page.locator("#period_days").fill("1")
    await journey.page.locator(f"#days-{code}").fill("1")
    await save(journey)


async def test_a_new_claim_from_the_queue_to_a_decision_in_the_portal(journey, platform) -> None:
    case = await open_case(platform, RUTH["nino"], "Ruth Assessed", "1950-05-05", "E09000033")
    person = case["person_id"]
    await publish(
        [
            claim_opened(person, "UC-RUTH", date(2025, 3, 3)),
            period_assessed(
                person, "UC-RUTH", date(2025, 5, 3), date(2025, 6, 2), 0, 21_650, 120_000
            ),
        ],
        platform.infra.kafka_options("benefits-system"),
    )
    await eventually(lambda: platform.get("payments", f"/people/{person}/uc-claim"))
    page = journey.page

    await staff_sign_in(journey, ASHA)
    await journey.goto(f"/assessor?view=unassigned&q={RUTH['nino']}")
    async with page.expect_navigation():
        await page.get_by_role("button", name="Take the case of Ruth Assessed").click()
    await journey.check()
    await journey.click("Record an assessment", role="link")
    await journey.click("Start the assessment")
    assert "0 of 15 parts done" in await journey.text("#progress")

    # activity 1 by the majority of days: nothing given, then days that do not cover the period
    await journey.click("1. Preparing food", role="link")
    await save(journey)
    assert (await journey.title()).startswith("Error: ")
    assert "Enter the days for at least one descriptor" in await journey.text("#days-1a-error")
    await page.locator("#period_days").fill("28")
    await page.locator("#days-1e").fill("16")
    await save(journey)
    assert "cover 16 of the 28 days" in await journey.text(".govuk-error-summary")
    assert await page.locator("#days-1a-error").is_visible()
    await page.locator("#days-1a").fill("12")
    await page.locator("#notes").fill("Home visit: needs supervision to cook most days")
    await save(journey)  # on to activity 2
    for number in ("2", "3", "4", "5"):
        await one_descriptor(journey, ONE_DESCRIPTOR[number])

    # stop, and come back to the same place
    await journey.goto("/assessor?view=mine")
    await journey.click("Ruth Assessed", role="link")
    await journey.click("Continue the assessment", role="link")
    assert "5 of 15 parts done" in await journey.text("#progress")
    assert "1e: 4 points" in await journey.text(".govuk-task-list")
    await journey.click("6. Dressing and undressing", role="link")
    for number in ("6", "7", "8", "9", "10", "11", "12"):
        await one_descriptor(journey, ONE_DESCRIPTOR[number])

    assert await page.locator("h1").inner_text() == "Care Act outcomes"
    await page.locator("#impairment_or_illness").check()
    for outcome in "abcdefghij":
        await page.locator(f"#outcome-{outcome}").check()  # achieved
    await page.locator("#outcome-a-2").check()  # a: cannot do it without help
    await page.locator("#outcome-b-2").check()
    await page.locator("#significant_wellbeing_impact").check()
    await save(journey)
    assert await page.locator("h1").inner_text() == "The carer's assessment"
    await page.locator("#has_carer-2").check()  # no carer assessed
    await save(journey)

    assert await page.locator("h1").inner_text() == "Means: capital, income and costs"
    assert "UC-RUTH" in await journey.text("#uc-source")
    assert await page.locator("#capital_pence").input_value() == "1200.00"
    assert await page.locator("#income-other").input_value() == "49.96"  # £216.50 a month
    await page.locator("#capital_pence").fill("1200.555")
    await save(journey)
    assert "whole pence" in await journey.text("#capital_pence-error")
    await page.locator("#capital_pence").fill("1000")
    await save(journey)
    assert "capital differs from the Universal Credit figure of £1,200.00" in await journey.text(
        "#change-capital-error"
    )
    await page.locator("#change-capital").fill("Spent £200 on a riser chair after the period")
    await save(journey)

    assert "15 of 15 parts done" in await journey.text("#progress")
    await journey.click("Check your answers", role="link")
    preview = await journey.text("#preview")
    assert "15 points: enhanced rate" in preview and "12 points: enhanced rate" in preview
    assert "Eligible: 2 outcomes not achieved" in preview
    await journey.click("Submit the assessment")
    assert await page.locator(".govuk-panel__title").inner_text() == "Decision made"
    explanation = await journey.text("#explanation")
    assert "16 of the 28 days" in explanation and "SI 2015/313" in explanation

    payments = await eventually(lambda: platform.get("payments", f"/people/{person}/payments"))
    await citizen_sign_in(journey, RUTH["username"])
    assert await page.locator("h1").inner_text() == "Your Care Benefit"
    assert f"£{payments['net_monthly_pence'] // 100:,}" in await journey.text("#award")
