"""A person signs in through the real OpenID Connect provider; the first sign-in links their
proven identity to their record, later ones use the provider's `sub`."""

from servicekit import audit
from servicekit.auth import JwksCache, TokenValidator

from .conftest import CITIZEN_ONE, PORTAL, UNKNOWN, FakeServices


async def test_a_signed_in_person_sees_award_payment_plan_and_messages(portal) -> None:
    page = await portal.sign_in(CITIZEN_ONE)
    assert page.status_code == 200 and str(page.url) == PORTAL + "/account"
    for text in (
        "£194.60 a week (£843.27 a month)",
        "£843.27 on 12 May 2026",
        "Your personal budget is £194.60 a week",
        "1 unread message",
        "We have made a decision",
        "Tell us how to contact you",  # no contact details: a task
    ):
        assert text in page.text
    assert page.headers["cache-control"] == "no-store"
    award = await portal.http.get("/award")
    assert "You scored 13 points." in award.text
    assert "The Social Security (Personal Independence Payment) Regulations 2013" in award.text


async def test_the_first_sign_in_links_the_identity_and_later_ones_use_the_sub(
    portal, infra
) -> None:
    await portal.sign_in(CITIZEN_ONE)
    link = await portal.pool.fetchrow("SELECT * FROM identity_links")
    assert link["person_id"] == "P-ONE" and link["issuer"] == infra.oidc_issuer
    assert link["subject"] == "urn:fdc:carebenefit.dev:2025:test-one"
    verify_calls = [c for c in portal.services.calls if c[1] == "/people/verify"]
    assert len(verify_calls) == 1

    signed_out = await portal.http.post(
        "/sign-out", data={"csrf_token": await _csrf(portal)}, follow_redirects=False
    )
    assert signed_out.status_code == 303
    again = await portal.sign_in(CITIZEN_ONE)
    assert str(again.url) == PORTAL + "/account"
    assert len([c for c in portal.services.calls if c[1] == "/people/verify"]) == 1


async def test_sign_ins_and_sign_outs_are_on_the_audit_trail(portal, fresh_database) -> None:
    await portal.sign_in(CITIZEN_ONE)
    await portal.http.post("/sign-out", data={"csrf_token": await _csrf(portal)})
    portal.http.cookies.clear()  # a browser of someone else's
    await portal.sign_in(UNKNOWN)  # no record matches the proven identity: refused
    rows = await portal.pool.fetch("SELECT * FROM audit ORDER BY seq")
    assert [(r["action"], r["outcome"], r["person_id"], r["role"]) for r in rows] == [
        ("sign_in", "allowed", "P-ONE", "person"),
        ("sign_out", "allowed", "P-ONE", "person"),
        ("sign_in", "denied", None, "person"),
    ]
    assert rows[0]["actor"] == "urn:fdc:carebenefit.dev:2025:test-one"
    assert rows[0]["client_id"] == portal.client_id and rows[0]["correlation_id"]
    async with portal.pool.acquire() as conn:
        assert (await audit.verify(conn)).intact


async def test_service_calls_carry_the_persons_own_exchanged_token(portal, infra) -> None:
    await portal.sign_in(CITIZEN_ONE)
    token = next(t for s, p, t in portal.services.calls if s == "payments")
    validator = TokenValidator(
        infra.oidc_issuer, infra.oidc.resources["payments"], JwksCache(issuer=infra.oidc_issuer)
    )
    principal = await validator.principal(token)
    assert principal.subject == "urn:fdc:carebenefit.dev:2025:test-one"
    assert principal.person_id == "P-ONE" and principal.may_act_for("P-ONE")
    assert not principal.may_act_for("P-TWO")
    assert principal.actor == portal.client_id and principal.roles == frozenset()
    verify = next(t for s, p, t in portal.services.calls if p == "/people/verify")
    assessment = TokenValidator(
        infra.oidc_issuer, infra.oidc.resources["assessment"], JwksCache(issuer=infra.oidc_issuer)
    )
    portal_itself = await assessment.principal(verify)
    assert portal_itself.subject == portal.client_id and "assessment:verify" in portal_itself.scopes


async def test_a_proven_identity_without_a_record_is_told_so_and_gets_no_session(portal) -> None:
    page = await portal.sign_in(UNKNOWN)
    assert page.status_code == 403 and "We could not find your record" in page.text
    assert portal.session_cookie() is None
    assert (await portal.http.get("/account", follow_redirects=False)).status_code == 303


async def _csrf(portal) -> str:
    import re

    page = await portal.http.get("/account")
    return re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)


async def test_the_account_page_says_what_is_unavailable_instead_of_failing(start_portal) -> None:
    async with start_portal(FakeServices(down=frozenset({"payments"}))) as portal:
        page = await portal.sign_in(CITIZEN_ONE)
    assert page.status_code == 200 and "cannot be shown right now: your payments." in page.text
