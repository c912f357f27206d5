"""Sign-in through OpenID Connect: people with GOV.UK One Login (the development provider
outside production), staff with the department's single sign-on. Sign-out revokes."""

import logging
import secrets
from dataclasses import dataclass

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse, Response
from servicekit.audit import AuditEntry, now
from servicekit.context import correlation_id

from portal.access import current_user
from portal.identity import OidcClient, SignInFailed
from portal.one_login import CLAIMS_REQUEST, IdentityUnproven, proven_identity
from portal.security import check_csrf, client_address
from portal.sessions import Kind, digest

log = logging.getLogger(__name__)
router = APIRouter()
SIGN_IN_COOKIE = "carebenefit_sign_in"
SIGN_IN_SECONDS = 10 * 60
STAFF_ROLES = {"assessor", "reviewer", "payments_officer", "operations"}


@dataclass(frozen=True)
class Journey:
    kind: Kind
    start: str
    callback: str
    scope: str
    claims: str | None


CITIZEN = Journey("citizen", "/sign-in", "/sign-in/callback", "openid email", CLAIMS_REQUEST)
STAFF = Journey(
    "staff", "/staff/sign-in", "/staff/sign-in/callback", "openid email profile roles", None
)


def _provider(request: Request, journey: Journey) -> OidcClient:
    return request.app.state.providers[journey.kind]


def _url(request: Request, path: str) -> str:
    return str(request.base_url).rstrip("/") + path


async def _start(request: Request, journey: Journey) -> Response:
    client = client_address(request)
    await request.app.state.security.check_sign_in_start(client)
    auth = await _provider(request, journey).authorization_request(
        _url(request, journey.callback), journey.scope, journey.claims
    )
    value = secrets.token_urlsafe(32)
    await request.app.state.pool.execute(
        "INSERT INTO sign_in_requests (id_hash, kind, state, nonce, code_verifier, client_key)"
        " VALUES ($1, $2, $3, $4, $5, $6)",
        digest(value),
        journey.kind,
        auth.state,
        auth.nonce,
        auth.code_verifier,
        client,
    )
    response = RedirectResponse(auth.url, status_code=303)
    request.app.state.sessions.cookies.set(response, SIGN_IN_COOKIE, value, SIGN_IN_SECONDS)
    return response


async def _pending(request: Request, journey: Journey) -> dict:
    """The sign-in this browser started (used once, within 10 minutes, same state)."""
    value = request.app.state.sessions.cookies.read(request, SIGN_IN_COOKIE)
    row = value and await request.app.state.pool.fetchrow(
        "DELETE FROM sign_in_requests WHERE id_hash = $1 AND kind = $2"
        " AND created_at > now() - make_interval(secs => $3) RETURNING *",
        digest(value),
        journey.kind,
        SIGN_IN_SECONDS,
    )
    state = request.query_params.get("state", "")
    if not row or not secrets.compare_digest(row["state"], state):
        raise SignInFailed("no matching sign-in was started in this browser")
    if "error" in request.query_params:
        raise SignInFailed(f"provider said {request.query_params['error']}")
    if request.query_params.get("iss") not in (None, _provider(request, journey).issuer):
        raise SignInFailed("the answer names another issuer")  # RFC 9207 mix-up defence
    return dict(row)


async def _finish(request: Request, journey: Journey):
    pending = await _pending(request, journey)
    return await _provider(request, journey).finish(
        request.query_params.get("code", ""),
        _url(request, journey.callback),
        pending["code_verifier"],
        pending["nonce"],
    )


async def _refused(request: Request, message: str, status: int) -> Response:
    from portal.web import render

    await request.app.state.security.record(
        "sign_in_failed", client=client_address(request), reason=message
    )
    response = render(request, "signed_out.html", status, title="Sign in", problem=message)
    request.app.state.sessions.cookies.clear(response, SIGN_IN_COOKIE)
    return response


async def _audit(
    request: Request,
    action: str,
    kind: Kind,
    subject: str,
    roles: frozenset[str],
    person_id: str | None,
    allowed: bool = True,
) -> None:
    """A sign-in or sign-out on the portal's audit trail (servicekit.audit), beside its
    security events: who, as what, for which person, when, and the correlation id."""
    entry = AuditEntry(
        at=now(),
        actor=subject,
        actor_kind="person" if kind == "citizen" else "staff",
        role="person" if kind == "citizen" else ",".join(sorted(roles)),
        client_id=_provider(request, CITIZEN if kind == "citizen" else STAFF).client_id,
        person_id=person_id,
        resource=f"{request.method} {request.url.path}",
        action=action,
        outcome="allowed" if allowed else "denied",
        correlation_id=correlation_id(),
    )
    await request.app.state.audit.record([entry])


@router.get("/sign-in")
async def citizen_sign_in(request: Request) -> Response:
    return await _start(request, CITIZEN)


@router.get("/staff/sign-in")
async def staff_sign_in(request: Request) -> Response:
    return await _start(request, STAFF)


@router.get("/sign-in/callback")
async def citizen_callback(request: Request) -> Response:
    try:
        result = await _finish(request, CITIZEN)
    except SignInFailed as error:
        log.warning("citizen sign-in refused: %s", error)
        return await _refused(request, "We could not sign you in. Try again.", 400)
    provider = _provider(request, CITIZEN)
    person_id = await request.app.state.pool.fetchval(
        "SELECT person_id FROM identity_links WHERE issuer = $1 AND subject = $2",
        provider.issuer,
        result.subject,
    )
    email = result.claims.get("email") if result.claims.get("email_verified") else None
    authorities = await request.app.state.authorities.for_email(email)
    acting = None
    if person_id is None:
        outcome = await _link_identity(request, provider, result, quietly=bool(authorities))
        if isinstance(outcome, Response):
            return outcome
        person_id = outcome
    if person_id is None:  # no record of their own: they sign in to act for someone
        acting = authorities[0]
        person_id = acting.person_id
        await request.app.state.security.record(
            "acting_started",
            client=client_address(request),
            subject=result.subject,
            authority=acting.authority_id,
        )
    landing = "/acting-for" if len(authorities) > (0 if acting is None else 1) else "/account"
    response = RedirectResponse(landing, status_code=303)
    request.app.state.sessions.cookies.clear(response, SIGN_IN_COOKIE)
    await _audit(request, "sign_in", "citizen", result.subject, frozenset(), person_id)
    await request.app.state.sessions.create(
        response,
        kind="citizen",
        issuer=provider.issuer,
        subject=result.subject,
        roles=frozenset(),
        person_id=person_id,
        access_token=result.access_token,
        id_token=result.id_token,
        acting_authority_id=acting.authority_id if acting else None,
        email=email,
    )
    return response


async def _link_identity(
    request: Request, provider: OidcClient, result, quietly: bool = False
) -> str | Response | None:
    """First sign-in: a verified match of the proven identity (NINO and date of birth) against
    the person's record, stored against the provider's `sub`. No record: the "no match" page,
    or None when `quietly` (someone authorised them to act for them)."""
    from portal.web import render

    state, client = request.app.state, client_address(request)
    try:
        identity = await proven_identity(
            result.claims, result.subject, provider.client_id, state.identity_issuer, state.did_keys
        )
    except IdentityUnproven as error:
        log.warning("identity not proven: %s", error)
        return await _refused(request, "Your identity could not be confirmed.", 403)
    await state.security.check_identity_matching(identity.nino, client)
    token = await state.service_tokens.for_portal("assessment", "assessment:verify")
    status, body = await state.clients.post(
        "assessment",
        "/people/verify",
        {"nino": identity.nino, "date_of_birth": identity.date_of_birth.isoformat()},
        token=token,
    )
    if status != 200:
        await state.security.record(
            "identity_match_failed", client=client, identity=identity.nino, subject=result.subject
        )
        if quietly:
            return None
        await _audit(request, "sign_in", "citizen", result.subject, frozenset(), None, False)
        response = render(request, "no_match.html", 403, title="We could not find your record")
        state.sessions.cookies.clear(response, SIGN_IN_COOKIE)
        return response
    await state.pool.execute(
        "INSERT INTO identity_links (issuer, subject, person_id) VALUES ($1, $2, $3)"
        " ON CONFLICT (issuer, subject) DO NOTHING",
        provider.issuer,
        result.subject,
        body["person_id"],
    )
    await state.security.record("identity_linked", client=client, subject=result.subject)
    return body["person_id"]


def _staff_home(roles: frozenset[str]) -> str:
    """Where staff land: their work (the caseload, the reconsiderations, operations, the
    payment runs)."""
    if "operations" in roles:
        return "/ops"
    if "assessor" in roles:
        return "/assessor"
    if "reviewer" in roles:
        return "/assessor/reconsiderations"
    return "/payment-runs" if "payments_officer" in roles else "/staff"


@router.get("/staff/sign-in/callback")
async def staff_callback(request: Request) -> Response:
    try:
        result = await _finish(request, STAFF)
    except SignInFailed as error:
        log.warning("staff sign-in refused: %s", error)
        return await _refused(request, "We could not sign you in. Try again.", 400)
    roles = frozenset(r for r in result.claims.get("roles") or [] if r in STAFF_ROLES)
    if not roles:
        return await _refused(request, "Your account has no Care Benefit staff role.", 403)
    response = RedirectResponse(_staff_home(roles), status_code=303)
    request.app.state.sessions.cookies.clear(response, SIGN_IN_COOKIE)
    await _audit(request, "sign_in", "staff", result.subject, roles, None)
    await request.app.state.sessions.create(
        response,
        kind="staff",
        issuer=_provider(request, STAFF).issuer,
        subject=result.subject,
        roles=roles,
        person_id=None,
        access_token=result.access_token,
        id_token=result.id_token,
    )
    return response


@router.post("/sign-out", dependencies=[Depends(check_csrf)])
async def sign_out(request: Request) -> Response:
    """Revokes the session and the provider's token, then ends the provider's session too."""
    user = await current_user(request)
    response = RedirectResponse("/signed-out", status_code=303)
    if user is None:
        return response
    provider = request.app.state.providers[user.kind]
    await request.app.state.sessions.revoke(user, response)
    await _audit(request, "sign_out", user.kind, user.subject, user.roles, user.person_id)
    try:
        await provider.revoke(user.access_token)
        end = await provider.end_session_url(user.id_token, _url(request, "/signed-out"))
    except Exception:  # the session is revoked here whatever the provider says
        log.exception("provider sign-out failed")
        end = None
    if end:
        response.headers["location"] = end
    return response


@router.get("/signed-out")
async def signed_out(request: Request) -> Response:
    from portal.web import render

    return render(request, "signed_out.html", title="You have signed out", problem=None)


# The development sign-in forms (NINO + date of birth, staff id + self-chosen role) are gone:
# answered 404 in every environment, and no cookie is set.
@router.post("/sign-in")
@router.post("/staff/sign-in")
async def retired_sign_in_form() -> Response:
    return Response("Not Found", status_code=404, media_type="text/plain")
