"""The negative cases: sessions that must not work, forms that must not be posted from
elsewhere, roles that only the provider gives, and limits on identity matching."""

import re

import pytest
from fastapi.routing import APIRoute
from itsdangerous import URLSafeTimedSerializer
from portal import ops, signin, web
from portal.config import DEVELOPMENT_SECRET
from portal.security import check_csrf

from .conftest import ASSESSOR, CITIZEN_ONE, LOCKED, OPS, PORTAL

COOKIE = "carebenefit_session"


async def _csrf(portal) -> str:
    page = await portal.http.get("/account")
    return re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)


async def _account_status(portal) -> int:
    return (await portal.http.get("/account", follow_redirects=False)).status_code


async def test_a_tampered_or_foreign_cookie_is_refused(portal) -> None:
    await portal.sign_in(CITIZEN_ONE)
    good = portal.session_cookie()
    tampered = good[:-2] + ("AA" if not good.endswith("AA") else "BB")
    # the old cookie format, signed with the old default secret: names no session
    forged = URLSafeTimedSerializer(DEVELOPMENT_SECRET, salt="session").dumps(
        {"role": "service_user", "subject": "P-ONE"}
    )
    for value in (tampered, forged, "", "x" * 43):
        portal.http.cookies.set(COOKIE, value, domain="portal.test")
        assert await _account_status(portal) == 303  # back to sign-in: no session
    portal.http.cookies.set(COOKIE, good, domain="portal.test")
    assert await _account_status(portal) == 200


async def test_a_cookie_replayed_after_sign_out_is_refused(portal) -> None:
    await portal.sign_in(CITIZEN_ONE)
    cookie = portal.session_cookie()
    signed_out = await portal.http.post(
        "/sign-out", data={"csrf_token": await _csrf(portal)}, follow_redirects=False
    )
    assert signed_out.status_code == 303 and "/session/end" in signed_out.headers["location"]
    assert 'carebenefit_session=""' in signed_out.headers["set-cookie"]
    portal.http.cookies.set(COOKIE, cookie, domain="portal.test")
    assert await _account_status(portal) == 303
    revoked = await portal.pool.fetchval(
        "SELECT count(*) FROM sessions WHERE revoked_at IS NOT NULL"
    )
    assert revoked == 1


@pytest.mark.parametrize(
    "ageing",
    [
        "last_seen_at = now() - interval '31 minutes'",
        "created_at = now() - interval '12 hours 1 minute'",
    ],
)
async def test_a_cookie_replayed_after_the_idle_or_absolute_timeout_is_refused(
    portal, ageing
) -> None:
    await portal.sign_in(CITIZEN_ONE)
    assert await _account_status(portal) == 200
    await portal.pool.execute(f"UPDATE sessions SET {ageing}")
    assert await _account_status(portal) == 303
    # and stays refused: a refused session is not revived by the request that found it stale
    await portal.pool.execute("UPDATE sessions SET last_seen_at = now()")
    if "created_at" in ageing:
        assert await _account_status(portal) == 303


async def test_activity_keeps_a_session_alive_within_the_idle_timeout(portal) -> None:
    await portal.sign_in(CITIZEN_ONE)
    await portal.pool.execute("UPDATE sessions SET last_seen_at = now() - interval '29 minutes'")
    assert await _account_status(portal) == 200
    assert await portal.pool.fetchval(
        "SELECT last_seen_at > now() - interval '1 minute' FROM sessions"
    )


async def test_a_cross_site_post_without_the_csrf_token_is_refused(portal) -> None:
    await portal.sign_in(CITIZEN_ONE)
    for data in ({}, {"csrf_token": "guessed"}):
        refused = await portal.http.post(
            "/sign-out", data=data, headers={"Origin": "https://evil.example"}
        )
        assert refused.status_code == 403
        assert "content-security-policy" in refused.headers  # headers on error pages too
    assert await _account_status(portal) == 200  # still signed in


def test_every_state_changing_route_checks_the_csrf_token() -> None:
    unsafe = [
        r
        for r in (*signin.router.routes, *web.router.routes, *ops.router.routes)
        if isinstance(r, APIRoute)
        and r.methods & {"POST", "PUT", "PATCH", "DELETE"}
        and r.endpoint.__name__ != "retired_sign_in_form"
    ]
    assert unsafe
    for route in unsafe:
        assert check_csrf in [d.call for d in route.dependant.dependencies], route.path


async def test_staff_roles_come_only_from_the_provider(portal) -> None:
    ops = await portal.sign_in(OPS, start="/staff/sign-in")
    assert ops.status_code == 200 and str(ops.url) == PORTAL + "/ops"
    assert "Outbox pending" in ops.text
    row = await portal.pool.fetchrow("SELECT kind, roles, person_id FROM sessions")
    assert (row["kind"], row["roles"], row["person_id"]) == ("staff", ["operations"], None)
    # the retired self-chosen role form is gone
    assert (
        await portal.http.post("/staff/sign-in", data={"staff_id": "x", "role": "ops"})
    ).status_code == 404


async def test_an_assessor_cannot_open_operations(start_portal) -> None:
    async with start_portal() as portal:
        page = await portal.sign_in(ASSESSOR, start="/staff/sign-in")
        assert str(page.url) == PORTAL + "/assessor" and "Caseload" in page.text
        assert "Assessor" in (await portal.http.get("/staff")).text
        assert (await portal.http.get("/ops")).status_code == 403


async def test_a_persons_session_is_refused_on_operations(portal) -> None:
    await portal.sign_in(CITIZEN_ONE)
    refused = await portal.http.get("/ops", follow_redirects=False)
    assert refused.status_code == 403 and "Outbox" not in refused.text


async def test_a_person_signing_in_as_staff_gets_no_staff_session(portal) -> None:
    page = await portal.sign_in(CITIZEN_ONE, start="/staff/sign-in")
    assert page.status_code == 403 and "no Care Benefit staff role" in page.text
    assert portal.session_cookie() is None


async def test_a_staff_account_has_no_proven_identity_to_link(portal) -> None:
    page = await portal.sign_in(OPS)
    assert page.status_code == 403 and "could not be confirmed" in page.text
    assert portal.session_cookie() is None


async def test_a_callback_that_this_browser_did_not_start_is_refused(portal) -> None:
    forged = await portal.http.get("/sign-in/callback?code=abc&state=xyz")
    assert forged.status_code == 400 and portal.session_cookie() is None


async def test_twenty_failed_identity_matches_for_one_nino_are_then_refused(portal) -> None:
    for _ in range(20):
        page = await portal.sign_in(LOCKED)
        assert page.status_code == 403
    blocked = await portal.sign_in(LOCKED)
    assert blocked.status_code == 429 and "Too many attempts" in blocked.text
    assert blocked.headers["retry-after"] == str(24 * 3600)
    events = await portal.pool.fetch(
        "SELECT kind, identity_key, client_key FROM security_events"
        " WHERE kind LIKE 'identity_match%' ORDER BY id"
    )
    assert [e["kind"] for e in events] == ["identity_match_failed"] * 20 + [
        "identity_match_blocked"
    ]
    assert len({e["identity_key"] for e in events}) == 1
    assert "TC100008B" not in str([dict(e) for e in events])  # a keyed hash, never the NINO
    verify = [c for c in portal.services.calls if c[1] == "/people/verify"]
    assert len(verify) == 20  # the 21st attempt never reached the match
    refused = await portal.pool.fetchval(
        "SELECT count(*) FROM audit WHERE action = 'sign_in' AND outcome = 'denied'"
    )
    assert refused == 20  # each refused match is on the audit trail too
