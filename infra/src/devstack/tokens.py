"""Real bearer tokens from the development OpenID Connect provider, for the tools and tests that
call the services (the demo loader, the benchmark, end-to-end and integration tests).

A member of staff or a person signs in at the provider's own login form (authorization code with
PKCE, as the portal does), and their access token is exchanged (RFC 8693) for a short-lived JWT
for one service, carrying their subject and roles (and, for a person, the person id the portal
would have linked their identity to). A service's own calls use client credentials. The tokens
come from the provider; nothing here signs one. The tools' client is registered at start
(`register_tools`), like the portal's.
"""

import asyncio
import base64
import hashlib
import secrets
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx

from devstack import oidc
from devstack.signin import DEMO_PASSWORD, LOGIN_FORM

REDIRECT_URI = "http://127.0.0.1/devstack/signed-in"  # never served: the code is read off it
ACCESS_TOKEN = "urn:ietf:params:oauth:token-type:access_token"  # noqa: S105 (a token type)

# Demo accounts (infra/oidc/accounts.json) and test citizens (infra/oidc/test-accounts.json).
ASSESSOR = "asha.patel@carebenefit.example"
OTHER_ASSESSOR = "tom.hughes@carebenefit.example"
REVIEWER = "grace.adeyemi@carebenefit.example"  # assessor and reviewer
PAYMENTS_OFFICER = "oliver.brown@carebenefit.example"
OTHER_PAYMENTS_OFFICER = "fatima.khan@carebenefit.example"  # approves Oliver's runs (four eyes)
OPERATIONS = "sam.taylor@carebenefit.example"
CITIZEN = "test.one@example.com"


def caller_for(service: str, path: str = "") -> str:
    """The demo member of staff who would make this call: national operations for `/ops/...`,
    a payments officer for payments, an assessor otherwise."""
    if path.startswith("/ops/"):
        return OPERATIONS
    return PAYMENTS_OFFICER if service == "payments" else ASSESSOR


class SignInRefused(RuntimeError):
    pass


@dataclass(frozen=True)
class ToolClient:
    client_id: str
    client_secret: str


async def register_tools(root: Path, issuer: str, registration_token: str) -> ToolClient:
    registered = await oidc.register_client(
        issuer,
        registration_token,
        {
            "client_name": "Care Benefit development tools",
            "application_type": "web",
            "redirect_uris": [REDIRECT_URI],
            "grant_types": ["authorization_code", "client_credentials", oidc.TOKEN_EXCHANGE],
            "response_types": ["code"],
            "token_endpoint_auth_method": "client_secret_basic",
            "scope": " ".join(["openid", "email", "roles", *oidc.all_scopes(root)]),
        },
    )
    return ToolClient(registered["client_id"], registered["client_secret"])


@dataclass
class Tokens:
    """`await tokens.staff(ASSESSOR, "assessment")`, `await tokens.person(CITIZEN,
    "care-plans", person_id)`, `await tokens.service("payments", "assessment")` (a service's own
    client-credentials token), `await tokens.tool("assessment")` (the tools' own)."""

    issuer: str
    client: ToolClient
    resources: dict[str, str]  # service -> resource indicator (the tokens' audience)
    service_secrets: dict[str, str] = field(default_factory=dict, repr=False)
    password: str = field(default=DEMO_PASSWORD, repr=False)
    _signed_in: dict[str, str] = field(default_factory=dict, repr=False)
    _cache: dict[tuple[str, ...], tuple[str, float]] = field(default_factory=dict, repr=False)
    _lock: asyncio.Lock = field(default_factory=asyncio.Lock, repr=False)

    @classmethod
    async def for_provider(cls, root: Path, provider: oidc.OidcProvider) -> "Tokens":
        client = await register_tools(root, provider.issuer, provider.registration_token)
        return cls(provider.issuer, client, provider.resources, provider.service_secrets)

    async def staff(self, username: str, service: str) -> str:
        """A member of staff's token for `service` (their roles from the provider)."""
        return await self._cached(("user", username, service), self._exchange, username, service)

    async def http_as(
        self, username: str, service: str, base_url: str, timeout: float = 30
    ) -> httpx.AsyncClient:
        """An HTTP client to `service` at `base_url`, calling as the member of staff `username`."""
        token = await self.staff(username, service)
        return httpx.AsyncClient(base_url=base_url, timeout=timeout, headers=bearer(token))

    async def person(self, username: str, service: str, person_id: str) -> str:
        """A person's token for `service`, for the record `person_id` (as the portal links)."""
        key = ("person", username, service, person_id)
        return await self._cached(key, self._exchange, username, service, person_id)

    async def service(self, client_id: str, service: str, scope: str = "") -> str:
        """The client-credentials token of a service's own client (`client_id`)."""
        secret = self.service_secrets[client_id]
        key = ("client", client_id, service, scope)
        return await self._cached(key, self._client_credentials, client_id, secret, service, scope)

    async def headers_for(self, service: str, path: str = "") -> dict[str, str]:
        """The bearer header of the member of staff who would make this call (`caller_for`)."""
        return bearer(await self.staff(caller_for(service, path), service))

    def auth(self, username: str, service: str) -> httpx.Auth:
        """For an httpx client making many calls as `username`: a fresh token when the last
        one nears its expiry (tokens live five minutes)."""
        return _StaffAuth(self, username, service)

    async def tool(self, service: str, scope: str = "") -> str:
        """The tools' own client-credentials token (no user behind it)."""
        client = self.client
        key = ("tool", service, scope)
        return await self._cached(
            key, self._client_credentials, client.client_id, client.client_secret, service, scope
        )

    async def _cached(self, key: tuple[str, ...], fetch: Any, *args: Any) -> str:
        async with self._lock:
            hit = self._cache.get(key)
            if hit and hit[1] > time.monotonic():
                return hit[0]
            token, lifetime = await fetch(*args)
            self._cache[key] = (token, time.monotonic() + max(0.0, lifetime - 30))
            return token

    async def _exchange(
        self, username: str, service: str, person_id: str | None = None
    ) -> tuple[str, float]:
        form = {
            "grant_type": oidc.TOKEN_EXCHANGE,
            "subject_token": await self._user_token(username),
            "subject_token_type": ACCESS_TOKEN,
            "resource": self.resources[service],
        }
        if person_id:
            form["person_id"] = person_id
        return await self._token(form, self.client.client_id, self.client.client_secret)

    async def _client_credentials(
        self, client_id: str, secret: str, service: str, scope: str
    ) -> tuple[str, float]:
        form = {"grant_type": "client_credentials", "resource": self.resources[service]}
        if scope:
            form["scope"] = scope
        return await self._token(form, client_id, secret)

    async def _token(self, form: dict[str, str], client_id: str, secret: str) -> tuple[str, float]:
        async with httpx.AsyncClient(timeout=30) as http:
            response = await http.post(
                self.issuer + "/token", data=form, auth=httpx.BasicAuth(client_id, secret)
            )
        if response.status_code != 200:
            raise SignInRefused(f"token endpoint: {response.status_code} {response.text[:300]}")
        body = response.json()
        return body["access_token"], float(body.get("expires_in", 60))

    async def _user_token(self, username: str) -> str:
        """Signs `username` in at the provider's login form, once per account."""
        if username not in self._signed_in:
            self._signed_in[username] = await self._sign_in(username)
        return self._signed_in[username]

    async def _sign_in(self, username: str) -> str:
        verifier = secrets.token_urlsafe(48)
        challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest())
        state = secrets.token_urlsafe(16)
        params = {
            "client_id": self.client.client_id,
            "response_type": "code",
            "redirect_uri": REDIRECT_URI,
            "scope": "openid email roles",
            "state": state,
            "nonce": secrets.token_urlsafe(16),
            "code_challenge": challenge.rstrip(b"=").decode(),
            "code_challenge_method": "S256",
        }
        async with httpx.AsyncClient(timeout=30) as http:  # a browser of its own: own cookies
            page = await _until_redirect(http, await http.get(self.issuer + "/auth", params=params))
            if isinstance(page, httpx.Response):
                form = LOGIN_FORM.search(page.text)
                if form is None:
                    raise SignInRefused(f"no login form for {username}: {page.text[:300]}")
                answer = await http.post(
                    page.url.join(form.group(1)),
                    data={"username": username, "password": self.password},
                )
                page = await _until_redirect(http, answer)
            if isinstance(page, httpx.Response):
                raise SignInRefused(f"{username} was not signed in: {page.status_code}")
        query = parse_qs(urlsplit(page).query)
        if query.get("state") != [state] or "code" not in query:
            raise SignInRefused(f"the provider answered {page}")
        form = {
            "grant_type": "authorization_code",
            "code": query["code"][0],
            "redirect_uri": REDIRECT_URI,
            "code_verifier": verifier,
        }
        token, _ = await self._token(form, self.client.client_id, self.client.client_secret)
        return token


async def _until_redirect(http: httpx.AsyncClient, response: httpx.Response) -> Any:
    """Follows redirects until one leads to REDIRECT_URI (returned as a string) or a page."""
    while response.is_redirect:
        target = str(response.url.join(response.headers["location"]))
        if target.startswith(REDIRECT_URI):
            return target
        response = await http.get(target)
    return response


class _StaffAuth(httpx.Auth):
    def __init__(self, tokens: Tokens, username: str, service: str) -> None:
        self._tokens, self._username, self._service = tokens, username, service

    async def async_auth_flow(self, request: httpx.Request) -> Any:
        token = await self._tokens.staff(self._username, self._service)
        request.headers["Authorization"] = f"Bearer {token}"
        yield request


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}
