"""Server-side sessions in the portal's database, named by a random cookie value.

The cookie holds 256 random bits; the database holds only their SHA-256, so a stolen database
row cannot be replayed as a cookie and a tampered or foreign cookie names no session. A session
ends after 30 minutes without a request (idle), 12 hours after sign-in (absolute), or at
sign-out (revoked); an ended session is never revived.
"""

import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta
from typing import Literal

import asyncpg
from starlette.requests import Request
from starlette.responses import Response

Kind = Literal["citizen", "staff"]


@dataclass(frozen=True)
class SignedIn:
    """The signed-in principal every portal page is given."""

    kind: Kind
    subject: str
    roles: frozenset[str]
    person_id: str | None
    csrf_token: str
    issuer: str
    access_token: str
    id_token: str
    session_key: bytes  # the id hash: names the session row, never sent to the browser
    acting_authority_id: str | None = None  # acting for `person_id` under this authority
    own_person_id: str | None = None  # the signed-in person's own record, if they have one
    email: str | None = None  # the provider's verified email address
    acting_name: str | None = None  # the name of the person acted for

    @property
    def acting(self) -> bool:
        return self.acting_authority_id is not None

    def has_role(self, role: str) -> bool:
        return role in self.roles


def digest(value: str) -> bytes:
    return hashlib.sha256(value.encode()).digest()


@dataclass(frozen=True)
class CookiePolicy:
    """`__Host-` + Secure in production; the bare name over plain http only when the
    environment is explicitly development or test (`__Host-` cookies must be Secure)."""

    secure: bool

    def name(self, base: str) -> str:
        return f"__Host-{base}" if self.secure else base

    def set(self, response: Response, base: str, value: str, max_age: int) -> None:
        response.set_cookie(
            self.name(base),
            value,
            max_age=max_age,
            path="/",
            httponly=True,
            samesite="lax",
            secure=self.secure,
        )

    def clear(self, response: Response, base: str) -> None:
        response.delete_cookie(
            self.name(base), path="/", httponly=True, samesite="lax", secure=self.secure
        )

    def read(self, request: Request, base: str) -> str | None:
        return request.cookies.get(self.name(base))


SESSION_COOKIE = "carebenefit_session"


class SessionStore:
    def __init__(
        self, pool: asyncpg.Pool, cookies: CookiePolicy, idle: timedelta, absolute: timedelta
    ) -> None:
        self._pool, self.cookies = pool, cookies
        self.idle, self.absolute = idle, absolute

    async def create(
        self,
        response: Response,
        *,
        kind: Kind,
        issuer: str,
        subject: str,
        roles: frozenset[str],
        person_id: str | None,
        access_token: str,
        id_token: str,
        acting_authority_id: str | None = None,
        email: str | None = None,
    ) -> None:
        """A new session (never a reused id: fixation-proof) and its cookie."""
        value = secrets.token_urlsafe(32)
        own = None if acting_authority_id else person_id
        await self._pool.execute(
            "INSERT INTO sessions (id_hash, kind, issuer, subject, roles, person_id, csrf_token,"
            " access_token, id_token, acting_authority_id, own_person_id, email)"
            " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
            digest(value),
            kind,
            issuer,
            subject,
            sorted(roles),
            person_id,
            secrets.token_urlsafe(32),
            access_token,
            id_token,
            acting_authority_id,
            own,
            email,
        )
        self.cookies.set(response, SESSION_COOKIE, value, int(self.absolute.total_seconds()))

    async def current(self, request: Request) -> SignedIn | None:
        """The live session the request's cookie names (and marks it seen), else None."""
        value = self.cookies.read(request, SESSION_COOKIE)
        if not value:
            return None
        row = await self._pool.fetchrow(
            "UPDATE sessions SET last_seen_at = now() WHERE id_hash = $1 AND revoked_at IS NULL"
            " AND last_seen_at > now() - $2::interval AND created_at > now() - $3::interval"
            " RETURNING *, (SELECT person_name FROM authorities a"
            " WHERE a.authority_id = sessions.acting_authority_id) AS acting_name",
            digest(value),
            self.idle,
            self.absolute,
        )
        if row is None:
            return None
        return SignedIn(
            kind=row["kind"],
            subject=row["subject"],
            roles=frozenset(row["roles"]),
            person_id=row["person_id"],
            csrf_token=row["csrf_token"],
            issuer=row["issuer"],
            access_token=row["access_token"],
            id_token=row["id_token"],
            session_key=row["id_hash"],
            acting_authority_id=row["acting_authority_id"],
            own_person_id=row["own_person_id"],
            email=row["email"],
            acting_name=row["acting_name"],
        )

    async def act_as(self, signed_in: SignedIn, person_id: str, authority_id: str | None) -> None:
        """The session now acts for `person_id` under `authority_id` (None: as themself)."""
        await self._pool.execute(
            "UPDATE sessions SET person_id = $2, acting_authority_id = $3 WHERE id_hash = $1",
            signed_in.session_key,
            person_id,
            authority_id,
        )

    async def revoke(self, signed_in: SignedIn, response: Response) -> None:
        await self._pool.execute(
            "UPDATE sessions SET revoked_at = now() WHERE id_hash = $1 AND revoked_at IS NULL",
            signed_in.session_key,
        )
        self.cookies.clear(response, SESSION_COOKIE)
