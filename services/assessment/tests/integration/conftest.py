"""The assessment app in-process on a fresh real PostgreSQL database, with a clock tests move.
Requests carry real tokens from the session's OpenID Connect provider: an assessor's (Asha
Patel's) unless a test asks for someone else's with `api.as_user(...)`."""

from datetime import date

import pytest
from asgi_lifespan import LifespanManager
from assessment.config import AssessmentSettings
from assessment.main import create_app
from devstack.tokens import ASSESSOR, CITIZEN, bearer
from httpx import ASGITransport, AsyncClient


class Clock:
    def __init__(self, today: date) -> None:
        self.today = today

    def __call__(self) -> date:
        return self.today


@pytest.fixture
async def api(infra, fresh_database, tokens):
    """An httpx client with `.pool` (the app's asyncpg pool), `.clock` (set `.clock.today`) and
    `await .as_user(username)` / `await .as_person(person_id)`: headers with their token."""
    settings = AssessmentSettings(
        database_url=fresh_database,
        relay_enabled=False,
        environment="test",
        **infra.kafka_settings(),
        **infra.oidc.service_settings("assessment"),
        **infra.encryption_settings("assessment"),
    )
    clock = Clock(date(2025, 6, 2))
    app = create_app(settings, clock=clock)
    headers = bearer(await tokens.staff(ASSESSOR, "assessment"))
    async with LifespanManager(app, startup_timeout=60) as manager:
        async with AsyncClient(
            transport=ASGITransport(manager.app), base_url="http://t", headers=headers
        ) as client:
            client.pool = app.app.app.state.runtime.pool  # OpenTelemetry(Correlation(FastAPI))
            client.clock = clock

            async def as_user(username: str) -> dict[str, str]:
                return bearer(await tokens.staff(username, "assessment"))

            async def as_person(person_id: str) -> dict[str, str]:
                return bearer(await tokens.person(CITIZEN, "assessment", person_id))

            client.as_user, client.as_person = as_user, as_person
            yield client
