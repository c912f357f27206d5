"""Who may act for whom: authorities a person (or staff, with a reason) grants to a family
member, a friend or an appointee, kept in the portal's database with who granted and who
revoked them. The representative is named by their verified email address at sign-in."""

import secrets
from dataclasses import dataclass
from datetime import datetime

import asyncpg

RELATIONSHIPS = ("family", "friend", "appointee")


@dataclass(frozen=True)
class Authority:
    authority_id: str
    person_id: str
    person_name: str | None
    email: str
    name: str
    relationship: str
    granted_by: str
    reason: str | None
    granted_at: datetime
    revoked_at: datetime | None
    revoked_by: str | None


class Authorities:
    def __init__(self, pool: asyncpg.Pool) -> None:
        self._pool = pool

    async def grant(
        self,
        *,
        person_id: str,
        person_name: str | None,
        email: str,
        name: str,
        relationship: str,
        granted_by: str,
        reason: str | None = None,
    ) -> Authority:
        row = await self._pool.fetchrow(
            "INSERT INTO authorities (authority_id, person_id, person_name, email, name,"
            " relationship, granted_by, reason) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)"
            " RETURNING *",
            "AU" + secrets.token_hex(8),
            person_id,
            person_name,
            email.strip().lower(),
            name.strip(),
            relationship,
            granted_by,
            reason,
        )
        return Authority(**row)

    async def revoke(self, authority_id: str, person_id: str, by: str) -> bool:
        done = await self._pool.fetchval(
            "UPDATE authorities SET revoked_at = now(), revoked_by = $3 WHERE authority_id = $1"
            " AND person_id = $2 AND revoked_at IS NULL RETURNING true",
            authority_id,
            person_id,
            by,
        )
        if done:  # whoever was acting under it stops now
            await self._pool.execute(
                "UPDATE sessions SET revoked_at = now() WHERE acting_authority_id = $1"
                " AND revoked_at IS NULL",
                authority_id,
            )
        return bool(done)

    async def of_person(self, person_id: str) -> list[Authority]:
        rows = await self._pool.fetch(
            "SELECT * FROM authorities WHERE person_id = $1 AND revoked_at IS NULL"
            " ORDER BY granted_at",
            person_id,
        )
        return [Authority(**r) for r in rows]

    async def for_email(self, email: str | None) -> list[Authority]:
        if not email:
            return []
        rows = await self._pool.fetch(
            "SELECT * FROM authorities WHERE email = $1 AND revoked_at IS NULL ORDER BY granted_at",
            email.strip().lower(),
        )
        return [Authority(**r) for r in rows]

    async def live(self, authority_id: str, email: str | None) -> Authority | None:
        """The authority, if it is still in force for this email address."""
        found = [a for a in await self.for_email(email) if a.authority_id == authority_id]
        return found[0] if found else None
