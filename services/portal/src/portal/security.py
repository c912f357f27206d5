"""Response headers on every response (error pages included), the CSRF check on every
state-changing request, and rate limits counted from recorded security events."""

import hashlib
import hmac
import secrets
from datetime import timedelta
from typing import Any

import asyncpg
from fastapi import HTTPException, Request
from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

UNSAFE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}
CSRF_FIELD, CSRF_HEADER = "csrf_token", "x-csrf-token"
PERMISSIONS_POLICY = (
    "camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()"
)
HSTS = "max-age=31536000; includeSubDomains"


class SecurityHeaders:
    """Outermost middleware, so that error responses (404, 429, 500) carry the headers too. The
    per-request CSP nonce is put in `request.state.csp_nonce` for templates. `form_targets`
    are the providers' origins: sign-out posts a form that redirects there."""

    def __init__(self, app: ASGIApp, *, production: bool, form_targets: list[str]) -> None:
        self.app, self.production = app, production
        self.form_action = " ".join(["'self'", *form_targets])

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        nonce = secrets.token_urlsafe(16)
        scope.setdefault("state", {})["csp_nonce"] = nonce
        static = scope["path"].startswith("/assets/")

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                headers["Content-Security-Policy"] = (
                    f"default-src 'self'; script-src 'self' 'nonce-{nonce}'; object-src 'none'; "
                    f"base-uri 'none'; frame-ancestors 'none'; form-action {self.form_action}"
                )
                headers["X-Content-Type-Options"] = "nosniff"
                headers["Referrer-Policy"] = "strict-origin-when-cross-origin"
                headers["X-Frame-Options"] = "DENY"
                headers["Permissions-Policy"] = PERMISSIONS_POLICY
                if not static:
                    headers["Cache-Control"] = "no-store"
                if self.production:
                    headers["Strict-Transport-Security"] = HSTS
            await send(message)

        await self.app(scope, receive, send_with_headers)


async def check_csrf(request: Request) -> None:
    """Every POST/PUT/PATCH/DELETE must carry the session's CSRF token (synchroniser token
    pattern: the token lives in the server-side session and in the page's form), else 403."""
    if request.method not in UNSAFE_METHODS:
        return
    signed_in = await request.app.state.sessions.current(request)
    sent = request.headers.get(CSRF_HEADER)
    if sent is None and "form" in request.headers.get("content-type", ""):
        sent = (await request.form()).get(CSRF_FIELD)
    if (
        signed_in is None
        or not isinstance(sent, str)
        or not hmac.compare_digest(sent, signed_in.csrf_token)
    ):
        raise HTTPException(403, "The form has expired or did not come from this service.")


class RateLimited(Exception):
    def __init__(self, retry_after: int) -> None:
        super().__init__(retry_after)
        self.retry_after = retry_after


class SecurityEvents:
    """Records security events and counts them for rate limits: identity matching (per
    identity and per client) and sign-in starts (per client)."""

    IDENTITY_FAILURES = (20, timedelta(hours=24))  # failed matches for one NINO
    CLIENT_FAILURES = (50, timedelta(hours=1))  # failed matches from one address
    SIGN_IN_STARTS = (60, timedelta(minutes=5))  # sign-ins started from one address

    def __init__(self, pool: asyncpg.Pool, secret: str) -> None:
        self._pool, self._secret = pool, secret.encode()

    def identity_key(self, value: str) -> str:
        """A keyed hash, so the events table never holds a NINO."""
        return hmac.new(self._secret, value.encode(), hashlib.sha256).hexdigest()

    async def record(
        self,
        kind: str,
        *,
        client: str,
        identity: str | None = None,
        subject: str | None = None,
        **detail: Any,
    ) -> None:
        await self._pool.execute(
            "INSERT INTO security_events (kind, identity_key, client_key, subject, detail)"
            " VALUES ($1, $2, $3, $4, $5)",
            kind,
            self.identity_key(identity) if identity else None,
            client,
            subject,
            detail,
        )

    async def check_identity_matching(self, identity: str, client: str) -> None:
        key = self.identity_key(identity)
        for column, value, (limit, window) in (
            ("identity_key", key, self.IDENTITY_FAILURES),
            ("client_key", client, self.CLIENT_FAILURES),
        ):
            count = await self._pool.fetchval(
                f"SELECT count(*) FROM security_events WHERE kind = 'identity_match_failed'"  # noqa: S608 (the column is one of two constants; values are parameters)
                f" AND {column} = $1 AND at > now() - $2::interval",
                value,
                window,
            )
            if count >= limit:
                await self.record(
                    "identity_match_blocked", client=client, identity=identity, limit=column
                )
                raise RateLimited(int(window.total_seconds()))

    async def check_sign_in_start(self, client: str) -> None:
        limit, window = self.SIGN_IN_STARTS
        count = await self._pool.fetchval(
            "SELECT count(*) FROM sign_in_requests WHERE client_key = $1"
            " AND created_at > now() - $2::interval",
            client,
            window,
        )
        if count >= limit:
            await self.record("sign_in_blocked", client=client)
            raise RateLimited(int(window.total_seconds()))


def client_address(request: Request) -> str:
    return request.client.host if request.client else "unknown"
