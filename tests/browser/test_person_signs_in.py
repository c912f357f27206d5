"""A person finds the service, signs in, and reads their award, in a real browser."""

import pytest
from devstack.drive import eventually, get_json, submit_assessment

pytestmark = pytest.mark.browser


async def test_the_start_page_leads_to_sign_in(journey) -> None:  # noqa: ANN001
    page = await journey.goto("/")
    assert await journey.title() == "Care Benefit – GOV.UK"
    await journey.click("Sign in", role="button")
    assert page.url.endswith("/sign-in")


async def test_a_mistyped_national_insurance_number_is_named_on_the_field(journey) -> None:  # noqa: ANN001
    page = await journey.goto("/sign-in")
    await journey.fill("National Insurance number", "not a nino")
    await journey.click("Continue")
    assert (await journey.title()).startswith("Error: ")
    summary = page.locator(".govuk-error-summary")
    assert "Enter a National Insurance number in the correct format" in await summary.inner_text()
    await summary.get_by_role("link").first.click()
    assert await page.evaluate("document.activeElement.id") == "nino"


async def test_a_signed_in_person_reads_their_award(journey, platform) -> None:  # noqa: ANN001
    person = await submit_assessment(platform.url("assessment"), correlation_id="browser-award")
    pid = person["person_id"]
    await eventually(lambda: get_json(platform.url("payments"), f"/people/{pid}/payments"))
    page = await journey.goto("/sign-in")
    await journey.fill("National Insurance number", person["nino"])
    await journey.fill("Day", "27")
    await journey.fill("Month", "3")
    await journey.fill("Year", "1952")
    await journey.click("Continue")
    assert await page.locator("h1").inner_text() == "Your care award"
