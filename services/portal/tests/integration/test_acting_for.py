"""Staff authorise someone (with a reason) to act for a person; that someone, who has no record
of their own, signs in through the real provider and acts for the person: every service call's
token names them as the subject, the person acted for and the authority."""

import re

from servicekit.auth import JwksCache, TokenValidator

from .conftest import ASSESSOR, CITIZEN_TWO, UNKNOWN


def csrf(page: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)


async def test_staff_authorise_an_appointee_who_then_acts_for_the_person(portal, infra) -> None:
    await portal.sign_in(ASSESSOR, start="/staff/sign-in")
    form = (await portal.http.get("/staff/people/P-TWO/representatives/add")).text
    fields = {"name": "Una Known", "email": "Test.Unknown@example.com", "relationship": "appointee"}
    refused = await portal.http.post(
        "/staff/people/P-TWO/representatives/add", data={"csrf_token": csrf(form), **fields}
    )
    assert refused.status_code == 422 and "Enter why you are authorising them" in refused.text
    assert await portal.pool.fetchval("SELECT count(*) FROM authorities") == 0
    granted = await portal.http.post(
        "/staff/people/P-TWO/representatives/add",
        data={"csrf_token": csrf(form), **fields, "reason": "DWP appointee since 2024"},
    )
    assert granted.headers["location"] == "/staff/people/P-TWO/representatives/added"

    portal.http.cookies.clear()
    page = await portal.sign_in(UNKNOWN)  # no Care Benefit record of their own
    assert page.status_code == 200 and "You are acting for" in page.text
    token = [t for s, p, t in portal.services.calls if s == "payments"][-1]
    validator = TokenValidator(
        infra.oidc_issuer, infra.oidc.resources["payments"], JwksCache(issuer=infra.oidc_issuer)
    )
    principal = await validator.principal(token)
    assert principal.subject == "urn:fdc:carebenefit.dev:2025:test-unknown"
    assert principal.person_id == "P-TWO" and principal.authority_id.startswith("AU")
    row = await portal.pool.fetchrow("SELECT * FROM authorities")
    assert (row["granted_by"], row["reason"], row["email"]) == (
        "urn:carebenefit:staff:asha-patel",
        "DWP appointee since 2024",
        "test.unknown@example.com",
    )

    portal.http.cookies.clear()
    await portal.sign_in(CITIZEN_TWO)  # the person sees them, and removes them
    listed = (await portal.http.get("/representatives")).text
    assert "Una Known" in listed and "test.unknown@example.com" in listed
    removed = await portal.http.post(
        f"/representatives/{row['authority_id']}/remove", data={"csrf_token": csrf(listed)}
    )
    assert removed.headers["location"] == "/representatives?removed=1"
    assert (
        await portal.pool.fetchval(
            "SELECT count(*) FROM sessions WHERE acting_authority_id = $1 AND revoked_at IS NULL",
            row["authority_id"],
        )
        == 0
    )
