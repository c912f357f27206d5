"""The care-plans app in-process on the session's real PostgreSQL and Kafka, with a clock the
test moves. Events are applied by the app's own consumer (`consumer.apply`: inbox, handler,
commit); the relay is off, so the outbox rows stay put for the test to read. Requests carry real
tokens from the session's provider: an assessor's by default, the person's when they agree
(`service.as_person`), national operations' for /ops (`service.operations`)."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import date
from typing import Any

import pytest
from asgi_lifespan import LifespanManager
from care_plans.config import CarePlansSettings
from care_plans.main import create_app
from devstack.tokens import ASSESSOR, CITIZEN, OPERATIONS, Tokens, bearer
from httpx import ASGITransport, AsyncClient

from ..unit.fakes import decision

TODAY = date(2025, 6, 2)


class Service:
    def __init__(self, client: AsyncClient, runtime: Any, tokens: Tokens) -> None:
        self.client, self.runtime, self.today = client, runtime, TODAY
        self.pool, self.tokens = runtime.pool, tokens

    async def as_person(self, person_id: str) -> dict[str, str]:
        return bearer(await self.tokens.person(CITIZEN, "care-plans", person_id))

    async def operations(self) -> dict[str, str]:
        return bearer(await self.tokens.staff(OPERATIONS, "care-plans"))

    async def decide(self, person: str = "person-1", **overrides: Any) -> None:
        """A DecisionMade applied by the app's own consumer (inbox, handler, commit)."""
        await self.runtime.consumer.apply(decision(person, **overrides))

    async def agree(self, plan_id: str, seen: int = 2, by: str = "person-1") -> Any:
        """Agreed by the person `by` (their own token)."""
        return await self.client.post(
            f"/plans/{plan_id}/agree", json={"seen_version": seen}, headers=await self.as_person(by)
        )

    async def agreed(self, person: str = "person-1", **overrides: Any) -> str:
        await self.decide(person, **overrides)
        plan_id = f"{person}:{overrides.get('decision_id', 'D-1')}"
        assert (
            await self.client.post(f"/plans/{plan_id}/propose", json={"seen_version": 1})
        ).status_code == 200
        assert (await self.agree(plan_id, by=person)).status_code == 200
        return plan_id

    async def outbox(self, kind: str | None = None) -> list[Any]:
        rows = await self.pool.fetch("SELECT type, key, payload FROM outbox ORDER BY position")
        return [r for r in rows if kind is None or r["type"].rsplit(".", 2)[-2] == kind]

    async def outbox_kinds(self) -> list[str]:
        return [r["type"].rsplit(".", 2)[-2] for r in await self.outbox()]

    async def version_count(self, plan_id: str) -> int:
        sql = "SELECT count(*) FROM plan_versions WHERE plan_id = $1"
        return await self.pool.fetchval(sql, plan_id)


@pytest.fixture
async def start_service(infra, fresh_database, tokens):
    @asynccontextmanager
    async def start(**overrides: Any) -> AsyncIterator[Service]:
        settings = CarePlansSettings(
            **{
                "database_url": fresh_database,
                "relay_enabled": False,
                **infra.kafka_settings(),
                "review_interval_seconds": 0,
                "environment": "test",
                **infra.oidc.service_settings("care-plans"),
                **overrides,
            }
        )
        service: Service | None = None
        app = create_app(settings, clock=lambda: service.today if service else TODAY)
        headers = bearer(await tokens.staff(ASSESSOR, "care-plans"))
        async with LifespanManager(app, startup_timeout=60, shutdown_timeout=30) as manager:
            transport = ASGITransport(manager.app)
            async with AsyncClient(
                transport=transport, base_url="http://t", headers=headers
            ) as client:
                service = Service(client, app.app.app.state.runtime, tokens)
                yield service

    return start


@pytest.fixture
async def service(start_service) -> AsyncIterator[Service]:
    async with start_service() as running:
        yield running
