"""Answers of a question-per-page journey kept server-side until it is sent: per session and
journey, in the portal's database (never in the browser), gone when it is sent or the session
ends."""

from typing import Any

import asyncpg

from portal.sessions import SignedIn


class Drafts:
    def __init__(self, pool: asyncpg.Pool) -> None:
        self._pool = pool

    async def get(self, user: SignedIn, journey: str) -> dict[str, Any]:
        data = await self._pool.fetchval(
            "SELECT data FROM form_drafts WHERE session_key = $1 AND journey = $2",
            user.session_key,
            journey,
        )
        return dict(data or {})

    async def update(self, user: SignedIn, journey: str, **answers: Any) -> dict[str, Any]:
        draft = {**await self.get(user, journey), **answers}
        await self._pool.execute(
            "INSERT INTO form_drafts (session_key, journey, data) VALUES ($1, $2, $3)"
            " ON CONFLICT (session_key, journey) DO UPDATE SET data = $3, updated_at = now()",
            user.session_key,
            journey,
            draft,
        )
        return draft

    async def clear(self, user: SignedIn, journey: str) -> None:
        await self._pool.execute(
            "DELETE FROM form_drafts WHERE session_key = $1 AND journey = $2",
            user.session_key,
            journey,
        )
