"""The person's whole record on one page, from every service's read API; opened by an assessor
the case is not assigned to only after they say why."""

from datetime import date

import pytest
from devstack.benefits_simulator import claim_opened, period_assessed, publish
from devstack.drive import eventually, random_nino

from .staff import TOM, staff_sign_in

pytestmark = pytest.mark.browser


async def test_an_unassigned_record_opens_with_a_purpose_and_tells_it_all(journey, platform):
    nino = random_nino()
    decided = await platform.submit("browser-record", nino=nino)
    person = decided["person_id"]
    await publish(
        [
            claim_opened(person, "UC-REC-1", date(2025, 3, 3)),
            period_assessed(
                person, "UC-REC-1", date(2025, 5, 3), date(2025, 6, 2), 0, 21_650, 120_000
            ),
        ],
        platform.infra.kafka_options("benefits-system"),
    )
    await eventually(lambda: platform.get("payments", f"/people/{person}/payments"))
    await eventually(lambda: platform.get("payments", f"/people/{person}/uc-claim"))

    await staff_sign_in(journey, TOM)
    await journey.goto(f"/assessor?view=all&q={nino}")
    await journey.click("Test Person", role="link")
    page = journey.page
    assert page.url.endswith("/purpose")
    await journey.click("Open the record")
    assert (await journey.title()).startswith("Error: ")
    assert "Select why you are opening this record" in await journey.text(".govuk-error-summary")
    await page.get_by_label("Quality check").check()
    await journey.click("Open the record")
    assert await page.locator("h1").inner_text() == "Test Person"
    assert "Quality check" in await journey.text("#purpose")
    text = await journey.text()
    for heading in (
        "Who they are",
        "Contact details",
        "Universal Credit claim",
        "Decisions",
        "Reconsiderations and changes asked for",
        "Care plan",
        "Payments and statements",
        "Messages sent",
        "Who has looked at this record",
    ):
        assert heading in text
    assert "UC-REC-1, open" in text and "£1,200.00" in text  # the UC period's capital
    assert "Version 1: New claim" in text
    await page.get_by_text("Reasons for version 1").click()
    assert "SI 2013/377" in await journey.text("#decisions ~ details")
    assert await page.locator("#payments-table tbody tr").count() >= 1
