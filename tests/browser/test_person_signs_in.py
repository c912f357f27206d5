"""A person finds the service, signs in through the identity provider, and reads their award,
in a real browser."""

import pytest
from devstack.drive import eventually
from devstack.signin import DEMO_PASSWORD

pytestmark = pytest.mark.browser
BEA = {"username": "test.browser@example.com", "nino": "TC100005A"}  # infra/oidc/test-accounts.json


async def test_the_start_page_leads_to_sign_in(journey) -> None:
    await journey.goto("/")
    assert await journey.title() == "Care Benefit – GOV.UK"
    await journey.click("Sign in", role="button")
    assert await journey.page.get_by_label("Email address").is_visible()


async def test_a_signed_in_person_reads_their_award(journey, platform) -> None:
    person = await platform.submit("browser-award", nino=BEA["nino"])
    pid = person["person_id"]
    await eventually(lambda: platform.get("payments", f"/people/{pid}/payments"))
    await journey.goto("/")
    await journey.click("Sign in", role="button")
    await journey.fill("Email address", BEA["username"])
    await journey.fill("Password", DEMO_PASSWORD)
    page = await journey.click("Continue")
    assert await page.locator("h1").inner_text() == "Your Care Benefit"
    assert page.url.endswith("/account")
