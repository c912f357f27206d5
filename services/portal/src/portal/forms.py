"""GOV.UK forms: errors named by field (the error summary links to each), and forms that act
once however often they are sent.

Each rendered form carries a fresh `submission` token. The first POST with a token claims it
before anything is done and records where its confirmation is; a second POST with the same
token (a double click, a resend after a slow answer) does nothing and lands on that same
confirmation. A POST that fails (bad input, a service down) gives the token back, so the
corrected form can be sent again.
"""

import asyncio
import secrets
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

import asyncpg

from portal.sessions import SignedIn

TOKEN_FIELD = "submission"  # noqa: S105 (a form field's name, not a secret)
WAIT_FOR_FIRST_SECONDS = 10.0


@dataclass
class Form:
    """What was sent and what is wrong with it, field by field, in the order shown."""

    values: dict[str, str] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)
    anchors: dict[str, str] = field(default_factory=dict)  # field -> the input to focus

    def get(self, name: str, default: str = "") -> str:
        return self.values.get(name, default)

    def error(self, name: str, message: str, anchor: str | None = None) -> None:
        self.errors.setdefault(name, message)
        if anchor:
            self.anchors.setdefault(name, anchor)

    @property
    def ok(self) -> bool:
        return not self.errors

    def summary(self) -> list[dict[str, str]]:
        """The error summary's list: each message links to its field."""
        return [
            {"text": m, "href": "#" + self.anchors.get(name, name)}
            for name, m in self.errors.items()
        ]

    def message(self, name: str) -> dict[str, str] | None:
        """A GOV.UK macro's `errorMessage` for the field, or None (no error)."""
        return {"text": self.errors[name]} if name in self.errors else None


def new_token() -> str:
    return secrets.token_urlsafe(24)


class Outcome:
    """What a form's action answers: go to a confirmation, or show the form again."""

    def __init__(self, location: str | None = None, form: Form | None = None) -> None:
        self.location, self.form = location, form


class Submissions:
    """Claims form tokens in the portal's database (one row per signed-in subject and token)."""

    def __init__(self, pool: asyncpg.Pool) -> None:
        self._pool = pool

    async def once(
        self, user: SignedIn, token: str, act: Callable[[], Awaitable[Outcome]]
    ) -> Outcome:
        if not token:
            return await act()
        claimed = await self._pool.fetchval(
            "INSERT INTO form_submissions (subject, token) VALUES ($1, $2)"
            " ON CONFLICT DO NOTHING RETURNING true",
            user.subject,
            token,
        )
        if not claimed:
            return Outcome(location=await self._location_of(user, token))
        try:
            outcome = await act()
        except BaseException:
            await self._release(user, token)
            raise
        if outcome.location is None:
            await self._release(user, token)
        else:
            await self._pool.execute(
                "UPDATE form_submissions SET location = $3 WHERE subject = $1 AND token = $2",
                user.subject,
                token,
                outcome.location,
            )
        return outcome

    async def _location_of(self, user: SignedIn, token: str) -> str:
        """Where the first submission landed, once it has (it may still be under way)."""
        deadline = time.monotonic() + WAIT_FOR_FIRST_SECONDS
        while True:
            row = await self._pool.fetchrow(
                "SELECT location FROM form_submissions WHERE subject = $1 AND token = $2",
                user.subject,
                token,
            )
            if row is None:  # the first one failed and gave the token back: nothing was done
                return ""
            if row["location"] or time.monotonic() > deadline:
                return row["location"] or ""
            await asyncio.sleep(0.1)

    async def _release(self, user: SignedIn, token: str) -> None:
        await self._pool.execute(
            "DELETE FROM form_submissions WHERE subject = $1 AND token = $2 AND location IS NULL",
            user.subject,
            token,
        )
