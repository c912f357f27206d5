"""The assessment app in-process on a fresh real PostgreSQL database, with a clock tests move."""

from datetime import date

import pytest
from asgi_lifespan import LifespanManager
from assessment.config import AssessmentSettings
from assessment.main import create_app
from httpx import ASGITransport, AsyncClient


class Clock:
    def __init__(self, today: date) -> None:
        self.today = today

    def __call__(self) -> date:
        return self.today


@pytest.fixture
async def api(infra, fresh_database):
    """An httpx client with `.pool` (the app's asyncpg pool) and `.clock` (set `.clock.today`)."""
    settings = AssessmentSettings(
        database_url=fresh_database,
        relay_enabled=False,
        **infra.kafka_settings(),
        **infra.encryption_settings("assessment"),
    )
    clock = Clock(date(2025, 6, 2))
    app = create_app(settings, clock=clock)
    async with LifespanManager(app) as manager:
        async with AsyncClient(transport=ASGITransport(manager.app), base_url="http://t") as client:
            client.pool = app.app.app.state.runtime.pool  # OpenTelemetry(Correlation(FastAPI))
            client.clock = clock
            yield client
