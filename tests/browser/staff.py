"""Staff journeys' shared steps: signing in at the provider as a demo staff account
(infra/oidc/accounts.json), and the people whose cases the journeys work on, opened through
the assessment service's API as a claim arriving would be."""

import httpx
from devstack.signin import DEMO_PASSWORD

from .support import Journey

ASHA = "asha.patel@carebenefit.example"  # assessor
TOM = "tom.hughes@carebenefit.example"  # assessor
GRACE = "grace.adeyemi@carebenefit.example"  # assessor and reviewer
STAFF_SUBJECTS = {
    "oliver.brown@carebenefit.example": "urn:carebenefit:staff:oliver-brown",
    "fatima.khan@carebenefit.example": "urn:carebenefit:staff:fatima-khan",
    ASHA: "urn:carebenefit:staff:asha-patel",
    TOM: "urn:carebenefit:staff:tom-hughes",
    GRACE: "urn:carebenefit:staff:grace-adeyemi",
}


async def staff_sign_in(journey: Journey, username: str) -> None:
    """Signs in afresh (no portal or provider session left from before) as `username`."""
    await journey.page.context.clear_cookies()
    await journey.goto("/staff/sign-in")
    await journey.fill("Email address", username)
    await journey.fill("Password", DEMO_PASSWORD)
    await journey.click("Continue")


async def citizen_sign_in(journey: Journey, username: str) -> None:
    await journey.page.context.clear_cookies()
    await journey.goto("/sign-in")
    await journey.fill("Email address", username)
    await journey.fill("Password", DEMO_PASSWORD)
    await journey.click("Continue")


async def open_case(
    platform, nino: str, full_name: str, date_of_birth: str, area_code: str
) -> dict:
    """A claim arriving: a case for the person, open, on nobody's caseload yet (opened with an
    assessor's token, on nobody's caseload)."""
    bearer = {"Authorization": f"Bearer {await platform.token('assessment', '/cases')}"}
    async with httpx.AsyncClient(
        base_url=platform.url("assessment"), timeout=30, headers=bearer
    ) as http:
        opened = await http.post(
            "/cases",
            json={
                "nino": nino,
                "full_name": full_name,
                "date_of_birth": date_of_birth,
                "area_code": area_code,
            },
        )
    opened.raise_for_status()
    return opened.json()
