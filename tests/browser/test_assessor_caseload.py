"""An assessor signs in to their caseload, finds a new claim in the unassigned queue and takes
it; filters with a bad local authority code get an error on the field."""

import pytest
from devstack.drive import random_nino

from .staff import ASHA, STAFF_SUBJECTS, open_case, staff_sign_in

pytestmark = pytest.mark.browser


async def test_an_assessor_takes_a_new_claim_from_the_queue(journey, platform) -> None:
    nino = random_nino()
    case = await open_case(platform, nino, "Nia Queue", "1949-08-01", "E08000025")
    await staff_sign_in(journey, ASHA)
    page = journey.page
    assert page.url.endswith("/assessor") and await page.locator("h1").inner_text() == "Caseload"
    await journey.click("Unassigned queue", role="link")
    await journey.fill("National Insurance number or name", nino)
    await journey.click("Filter cases")
    row = page.locator("#cases tbody tr", has_text="Nia Queue")
    assert "New claim" in await row.inner_text() and "Unassigned" in await row.inner_text()
    assert await page.locator('#counts [data-status="open"]').inner_text() == "1"
    async with page.expect_navigation():
        await row.get_by_role("button", name="Take the case of Nia Queue").click()
    await journey.check()
    assert "/assessor" in page.url
    await journey.goto("/assessor?view=mine&q=" + nino)
    mine = page.locator("#cases tbody tr", has_text="Nia Queue")
    assert "Yours" in await mine.inner_text()
    assert STAFF_SUBJECTS[ASHA] in await mine.inner_text()
    await journey.goto(f"/assessor?view=unassigned&q={nino}")
    assert await page.locator("#no-cases").is_visible()
    assert case["case_id"]


async def test_a_bad_area_code_is_an_error_on_its_field(journey, platform) -> None:
    await staff_sign_in(journey, ASHA)
    await journey.fill("Local authority code", "Leeds")
    await journey.click("Filter cases")
    page = journey.page
    assert (await journey.title()).startswith("Error: ")
    summary = page.locator(".govuk-error-summary")
    assert "Enter a local authority code" in await summary.inner_text()
    assert await summary.get_by_role("link").get_attribute("href") == "#area_code"
    assert "Enter a local authority code" in await page.locator("#area_code-error").inner_text()
