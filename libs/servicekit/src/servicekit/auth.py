"""Bearer JWTs from the OpenID Connect provider: validation against its JWKS, the `Principal` a
request acts as, FastAPI dependencies that declare what an endpoint needs, and a cached
client-credentials token getter for calls between services.

Every route of a service declares its `Policy`: `Depends(require(scope, roles=..., person=...,
services=...))`, or `Depends(open_access("why"))` for the few that need no token (health).
`servicekit.access` (installed by `create_service_app`) refuses to build an app with a route
that declares none, and asks for a valid token at the edge before any route runs.
"""

import asyncio
import logging
import time
from collections import OrderedDict
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass
from typing import Any

import httpx
import jwt
from fastapi import FastAPI, HTTPException, Request

from servicekit.context import current_access

log = logging.getLogger(__name__)

# Staff roles, as the provider's `roles` claim carries them.
ASSESSOR, REVIEWER = "assessor", "reviewer"
PAYMENTS_OFFICER, OPERATIONS = "payments_officer", "operations"  # operations: national operations
STAFF_ROLES = frozenset({ASSESSOR, REVIEWER, PAYMENTS_OFFICER, OPERATIONS})

ALLOWED_ALGORITHMS = ("RS256", "PS256", "ES256")  # never "none", never a shared-secret HS*
ACCESS_TOKEN_TYPE = "at+jwt"  # RFC 9068: keeps ID tokens and other JWTs out  # noqa: S105 (a token type's name, not a secret)
JWKS_MIN_REFRESH_SECONDS = 30.0  # an unknown kid refetches the JWKS at most this often
VERIFIED_TOKENS_KEPT = 4_096  # tokens whose signature and claims were checked, kept until expiry


class InvalidToken(Exception):
    """The token is missing, malformed, unsigned, foreign, expired or meant for someone else."""


@dataclass(frozen=True)
class Principal:
    """Who a request acts as. `subject` is the person or staff member (or the calling service for
    client credentials); `actor` is the client acting for them (RFC 8693 `act`, e.g. the portal)."""

    subject: str
    client_id: str | None
    roles: frozenset[str]
    scopes: frozenset[str]
    person_id: str | None = None
    actor: str | None = None
    authority_id: str | None = None
    """Set when the subject acts for `person_id` under an authority that person (or staff)
    gave them; the subject is then a family member, friend or appointee, not the person."""

    @classmethod
    def from_claims(cls, claims: dict[str, Any]) -> "Principal":
        act = claims.get("act")
        return cls(
            subject=str(claims["sub"]),
            client_id=claims.get("client_id"),
            roles=frozenset(_strings(claims.get("roles"))),
            scopes=frozenset(str(claims.get("scope") or "").split()),
            person_id=claims.get("person_id"),
            actor=act.get("sub") if isinstance(act, dict) else None,
            authority_id=claims.get("authority_id"),
        )

    def has_scope(self, scope: str) -> bool:
        return scope in self.scopes

    def has_role(self, role: str) -> bool:
        return role in self.roles

    def may_act_for(self, person_id: str) -> bool:
        """True only for a token issued for that person (a citizen's own token)."""
        return self.person_id is not None and self.person_id == str(person_id)

    @property
    def is_service(self) -> bool:
        """A client acting for itself (client credentials): no user behind the token."""
        return self.actor is None and self.client_id is not None and self.subject == self.client_id

    @property
    def kind(self) -> str:
        """person (a citizen linked to a record), staff (holds a role), service, or user."""
        if self.person_id is not None:
            return "person"
        if self.roles:
            return "staff"
        return "service" if self.is_service else "user"

    def role_in(self, allowed: Iterable[str] = ()) -> str:
        """The role this principal acts in where `allowed` roles may act: for the audit (someone
        acting for the person: `representative:<authority id>`)."""
        if self.kind == "person" and self.authority_id is not None:
            return f"representative:{self.authority_id}"
        if self.kind != "staff":
            return self.kind
        return ",".join(sorted(self.roles & set(allowed))) or ",".join(sorted(self.roles))


def _strings(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    return [str(v) for v in value] if isinstance(value, list) else []


class JwksCache:
    """The provider's signing keys, fetched on first use and again when a token names a key id
    not seen yet (key rotation), but never more often than `min_refresh` seconds."""

    def __init__(
        self,
        jwks_url: str | None = None,
        *,
        issuer: str | None = None,
        http: httpx.AsyncClient | None = None,
        min_refresh: float = JWKS_MIN_REFRESH_SECONDS,
    ) -> None:
        if not (jwks_url or issuer):
            raise ValueError("a JWKS URL or an issuer to discover it from is needed")
        self._url, self._issuer = jwks_url, issuer
        self._http, self._min_refresh = http, min_refresh
        self._keys: dict[str, jwt.PyJWK] = {}
        self._fetched_at = float("-inf")
        self._lock = asyncio.Lock()

    async def key(self, kid: str | None) -> jwt.PyJWK:
        if kid in self._keys:
            return self._keys[kid]
        async with self._lock:
            if kid not in self._keys and time.monotonic() - self._fetched_at >= self._min_refresh:
                await self._fetch()
        if kid not in self._keys:
            raise InvalidToken(f"no signing key {kid!r} in the provider's JWKS")
        return self._keys[kid]

    def holds(self, kid: str | None) -> bool:
        """Whether the keys as last fetched still include `kid` (not rotated out since)."""
        return kid in self._keys

    async def _fetch(self) -> None:
        if self._url is None:
            self._url = (await discover(str(self._issuer), self._http))["jwks_uri"]
        try:
            if self._http is None:
                async with httpx.AsyncClient(timeout=5) as http:
                    response = await http.get(self._url)
            else:
                response = await self._http.get(self._url)
            response.raise_for_status()
            keys = jwt.PyJWKSet.from_dict(response.json()).keys
        except (httpx.HTTPError, ValueError, jwt.PyJWKSetError) as error:
            raise ProviderUnavailable(f"cannot read JWKS from {self._url}: {error}") from error
        self._keys = {k.key_id: k for k in keys if k.key_id}
        self._fetched_at = time.monotonic()


class ProviderUnavailable(Exception):
    """The provider's keys could not be fetched: an infrastructure fault (503), not the caller's."""


class TokenValidator:
    """Checks signature (allow-listed algorithms, key from the JWKS), `iss`, `aud`, `exp`, `nbf`,
    `iat` and the token type, offline except for the cached JWKS."""

    def __init__(
        self,
        issuer: str,
        audience: str,
        jwks: JwksCache,
        *,
        token_type: str | None = ACCESS_TOKEN_TYPE,
        algorithms: Iterable[str] = ALLOWED_ALGORITHMS,
        leeway: float = 30.0,
    ) -> None:
        self.issuer, self.audience, self._jwks = issuer, audience, jwks
        self._token_type, self._algorithms = token_type, tuple(algorithms)
        self._leeway = leeway
        self._verified: OrderedDict[str, tuple[str | None, dict[str, Any]]] = OrderedDict()

    async def claims(self, token: str) -> dict[str, Any]:
        """A token seen before is not verified again (the same bytes, the same signature), but
        its `exp` and `nbf` are checked again on every use, and its key must still be in the
        JWKS as last fetched."""
        known = self._verified.get(token)
        if known is not None and self._jwks.holds(known[0]):
            self._verified.move_to_end(token)
            try:
                self._check_times(known[1])
            except InvalidToken:
                del self._verified[token]
                raise
            return dict(known[1])
        kid, claims = await self._verify(token)
        self._verified[token] = (kid, claims)
        if len(self._verified) > VERIFIED_TOKENS_KEPT:
            self._verified.popitem(last=False)
        return dict(claims)

    def _check_times(self, claims: dict[str, Any]) -> None:
        now = time.time()
        if now - self._leeway >= float(claims["exp"]):  # PyJWT's own test, with the same leeway
            raise InvalidToken("Signature has expired")
        if "nbf" in claims and now + self._leeway < float(claims["nbf"]):
            raise InvalidToken("The token is not yet valid (nbf)")

    async def _verify(self, token: str) -> tuple[str | None, dict[str, Any]]:
        try:
            header = jwt.get_unverified_header(token)
        except jwt.InvalidTokenError as error:
            raise InvalidToken(f"malformed token: {error}") from error
        alg = header.get("alg")
        if alg not in self._algorithms:
            raise InvalidToken(f"algorithm {alg!r} is not accepted")
        if self._token_type and str(header.get("typ", "")).lower() != self._token_type:
            raise InvalidToken(f"token type {header.get('typ')!r} is not {self._token_type!r}")
        key = await self._jwks.key(header.get("kid"))
        try:
            return header.get("kid"), jwt.decode(
                token,
                key,
                algorithms=[alg],
                audience=self.audience,
                issuer=self.issuer,
                leeway=self._leeway,
                options={"require": ["exp", "iat", "iss", "aud", "sub"]},
            )
        except jwt.InvalidTokenError as error:
            raise InvalidToken(str(error)) from error

    async def principal(self, token: str) -> Principal:
        return Principal.from_claims(await self.claims(token))


async def discover(issuer: str, http: httpx.AsyncClient | None = None) -> dict[str, Any]:
    """The provider's discovery document (`/.well-known/openid-configuration`)."""
    url = issuer.rstrip("/") + "/.well-known/openid-configuration"
    try:
        if http is None:
            async with httpx.AsyncClient(timeout=5) as client:
                response = await client.get(url)
        else:
            response = await http.get(url)
        response.raise_for_status()
        document = response.json()
    except (httpx.HTTPError, ValueError) as error:
        raise ProviderUnavailable(f"cannot read {url}: {error}") from error
    if document.get("issuer") != issuer:
        raise ProviderUnavailable(f"{url} names issuer {document.get('issuer')!r}")
    return document


def validator_from_settings(settings: Any) -> TokenValidator:
    """A validator from a service's `auth_issuer`, `auth_audience` and optional `auth_jwks_url`
    (discovered from the issuer when unset); refuses to build one without issuer and audience."""
    if not (settings.auth_issuer and settings.auth_audience):
        raise ValueError("auth_issuer and auth_audience must both be set to check tokens")
    jwks = JwksCache(settings.auth_jwks_url, issuer=settings.auth_issuer)
    return TokenValidator(settings.auth_issuer, settings.auth_audience, jwks)


# --- FastAPI ------------------------------------------------------------------------------


def challenge(error: str | None = None, description: str | None = None, **extra: str) -> str:
    parts = ['realm="carebenefit"']
    if error:
        parts.append(f'error="{error}"')
    if description:
        parts.append('error_description="{}"'.format(description.replace('"', "'")[:200]))
    parts += [f'{name}="{value}"' for name, value in extra.items()]
    return "Bearer " + ", ".join(parts)


def _unauthorised(description: str | None = None) -> HTTPException:
    error = "invalid_token" if description else None
    return HTTPException(
        status_code=401,
        detail=description or "A bearer token is required.",
        headers={"WWW-Authenticate": challenge(error, description)},
    )


def forbidden(description: str, scope: str | None = None) -> HTTPException:
    extra = {"scope": scope} if scope else {}
    return HTTPException(
        status_code=403,
        detail=description,
        headers={"WWW-Authenticate": challenge("insufficient_scope", description, **extra)},
    )


def install_auth(app: FastAPI, validator: TokenValidator) -> None:
    """Wiring: the validator every `authenticated`/`require` dependency of `app` uses."""
    app.state.token_validator = validator


async def authenticated(request: Request) -> Principal:
    """Any valid bearer token: 401 with a `WWW-Authenticate` challenge otherwise (checked once
    per request: the edge, servicekit.access, may have checked it already)."""
    checked = getattr(request.state, "principal", None)
    if isinstance(checked, Principal):
        return checked
    validator: TokenValidator | None = getattr(request.app.state, "token_validator", None)
    if validator is None:
        raise RuntimeError("authentication is not wired: call servicekit.auth.install_auth")
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise _unauthorised()
    try:
        return await validator.principal(token.strip())
    except InvalidToken as error:
        raise _unauthorised(str(error)) from error
    except ProviderUnavailable as error:
        log.warning("token not checked: %s", error)
        raise HTTPException(503, "The identity provider cannot be reached.") from error


@dataclass(frozen=True)
class Policy:
    """What a route needs: a token with every scope in `scopes`, whose holder is staff with one
    of `roles`, or (when `person`) the person whose record it is, or (when `services`) a client
    acting for itself. With none of the three, any holder of the scopes. `open` (a reason) means
    no token is needed at all."""

    scopes: tuple[str, ...] = ()
    roles: frozenset[str] = frozenset()
    person: bool = False
    services: bool = False
    open: str | None = None

    def admits(self, principal: Principal) -> bool:
        if not (self.roles or self.person or self.services):
            return True
        return bool(
            principal.roles & self.roles
            or (self.person and principal.person_id is not None)
            or (self.services and principal.is_service)
        )

    def describe(self) -> str:
        if self.open is not None:
            return f"no token ({self.open})"
        who = sorted(self.roles) + ["the person"] * self.person + ["services"] * self.services
        scopes = " ".join(f"`{s}`" for s in self.scopes) or "any scope"
        return f"{scopes}; {', '.join(who) or 'any caller'}"


def require(
    *scopes: str, roles: Iterable[str] = (), person: bool = False, services: bool = False
) -> Callable[[Request], Awaitable[Principal]]:
    """A dependency declaring the route's `Policy`: a valid token carrying every scope in
    `scopes`, whose holder the policy admits; 403 when the token is valid but not enough. A
    route with a `{person_id}` path parameter is also checked against that person
    (`ensure_may_act_for`)."""
    policy = Policy(tuple(scopes), frozenset(roles), person, services)

    async def dependency(request: Request) -> Principal:
        principal = await authenticated(request)
        access = current_access()
        if access is not None:
            access.principal, access.role = principal, principal.role_in(policy.roles)
        person = request.path_params.get("person_id")
        missing = [s for s in scopes if not principal.has_scope(s)]
        if missing or not policy.admits(principal):
            if access is not None and person is not None:
                access.note(str(person), False)  # an attempt on that person's record
            if missing:
                raise forbidden(f"needs scope {' '.join(missing)}", scope=" ".join(scopes))
            raise forbidden(f"not open to this caller: needs {policy.describe()}")
        if person is not None:
            ensure_may_act_for(principal, person, *policy.roles, services=services)
        return principal

    dependency.policy = policy  # type: ignore[attr-defined]
    return dependency


def open_access(reason: str) -> Callable[[], Awaitable[None]]:
    """A dependency declaring that the route needs no token, and why (e.g. health checks)."""

    async def dependency() -> None:
        return None

    dependency.policy = Policy(open=reason)  # type: ignore[attr-defined]
    return dependency


def ensure_may_act_for(
    principal: Principal,
    person_id: str,
    *staff_roles: str,
    services: bool = False,
    assigned: bool | None = None,
) -> None:
    """403 unless the token is the person's own, a staff token with one of `staff_roles`, or
    (with `services`) a client acting for itself. `assigned=False` (the service knows the staff
    member is not assigned to the person's case) also needs a purpose (`X-Access-Purpose`). The
    check, and whether it allowed the access, is noted for the audit trail."""
    access = current_access()
    allowed = (
        principal.may_act_for(person_id)
        or bool(principal.roles & set(staff_roles))
        or (services and principal.is_service)
    )
    unexplained = (
        allowed
        and assigned is False
        and principal.kind == "staff"
        and not (access is not None and access.purpose)
    )
    if access is not None:
        access.note(str(person_id), allowed and not unexplained)
    if unexplained:
        raise forbidden("a staff member not assigned to this case must say why (X-Access-Purpose)")
    if not allowed:
        raise forbidden("this token may not act for that person")


# --- client credentials ---------------------------------------------------------------------


class ClientCredentials:
    """Access tokens for this service's own calls to another service (OAuth 2 client
    credentials, one token per resource, cached until shortly before it expires)."""

    def __init__(
        self,
        token_url: str,
        client_id: str,
        client_secret: str,
        http: httpx.AsyncClient | None = None,
        early_renewal: float = 30.0,
    ) -> None:
        self._url, self._auth = token_url, httpx.BasicAuth(client_id, client_secret)
        self._http, self._early = http, early_renewal
        self._cache: dict[tuple[str, str], tuple[str, float]] = {}
        self._lock = asyncio.Lock()

    async def token(self, resource: str, scope: str = "") -> str:
        key = (resource, scope)
        cached = self._cache.get(key)
        if cached and cached[1] > time.monotonic():
            return cached[0]
        async with self._lock:
            cached = self._cache.get(key)
            if cached and cached[1] > time.monotonic():
                return cached[0]
            value, lifetime = await self._fetch(resource, scope)
            self._cache[key] = (value, time.monotonic() + max(0.0, lifetime - self._early))
            return value

    async def _fetch(self, resource: str, scope: str) -> tuple[str, float]:
        form = {"grant_type": "client_credentials", "resource": resource}
        if scope:
            form["scope"] = scope
        try:
            if self._http is None:
                async with httpx.AsyncClient(timeout=10) as http:
                    response = await http.post(self._url, data=form, auth=self._auth)
            else:
                response = await self._http.post(self._url, data=form, auth=self._auth)
        except httpx.HTTPError as error:
            raise ProviderUnavailable(f"token endpoint {self._url}: {error}") from error
        if response.status_code != 200:
            raise TokenRefused(f"{response.status_code} {response.text[:200]}")
        body = response.json()
        return body["access_token"], float(body.get("expires_in", 60))


class TokenRefused(Exception):
    """The provider refused to issue a token (wrong credentials, scope or resource)."""
