"""A kit-built service on the real servers: a failing background job and a stopped PostgreSQL
are reported by /health/ready with the reason, requests get 503 with Retry-After, and the
service recovers by itself."""

import asyncio
import uuid
from collections.abc import AsyncIterator

import pytest
from asgi_lifespan import LifespanManager
from devstack.postgres import postgres_down
from devstack.tokens import OPERATIONS, bearer
from fastapi import APIRouter, Depends, Request
from httpx import ASGITransport, AsyncClient
from servicekit.auth import require
from servicekit.service import ServiceDefinition, create_service_app, runtime_of
from servicekit.settings import ServiceSettings
from servicekit.supervision import healthy

from .support import NO_MIGRATIONS, cluster_of, eventually, make_durable

pytestmark = [pytest.mark.integration, pytest.mark.fault]
router = APIRouter()


@router.get("/outbox-size", dependencies=[Depends(require(roles=["operations"]))])
async def outbox_size(request: Request) -> dict[str, int]:
    return {"rows": await runtime_of(request).pool.fetchval("SELECT count(*) FROM outbox")}


class FlakyJob:
    """A background job that raises while `broken` is set."""

    def __init__(self) -> None:
        self.broken, self.runs = asyncio.Event(), 0

    async def __call__(self, runtime: object) -> None:
        while True:
            self.runs += 1
            if self.broken.is_set():
                raise RuntimeError("the sweep failed")
            healthy()
            await asyncio.sleep(0.05)


@pytest.fixture
async def service(
    infra, fresh_database, tokens
) -> AsyncIterator[tuple[AsyncClient, FlakyJob, list]]:
    job, fatal = FlakyJob(), []
    job.__qualname__ = "sweep"
    settings = ServiceSettings(
        database_url=await make_durable(fresh_database),
        **infra.kafka_settings(),
        relay_poll_interval_ms=50,
        supervisor_backoff_max_seconds=0.3,
        environment="test",
        **infra.oidc.service_settings("assessment"),  # tokens for assessment's audience
    )
    definition = ServiceDefinition(
        name=f"kit-app-{uuid.uuid4().hex[:8]}", migrations=NO_MIGRATIONS, routers=[router],
        background=[job],
    )  # fmt: skip
    app = create_service_app(definition, settings, on_fatal=fatal.append)
    async with LifespanManager(app, startup_timeout=60) as manager:
        transport = ASGITransport(app=manager.app)
        headers = bearer(await tokens.staff(OPERATIONS, "assessment"))
        async with AsyncClient(
            transport=transport, base_url="http://kit", headers=headers
        ) as client:
            yield client, job, fatal


async def ready(client: AsyncClient) -> dict | None:
    response = await client.get("/health/ready")
    return response.json() if response.status_code == 200 else None


async def not_ready(client: AsyncClient, reason: str) -> dict | None:
    response = await client.get("/health/ready")
    body = response.json()
    wanted = response.status_code == 503 and any(r.startswith(reason) for r in body["reasons"])
    return body if wanted else None


async def test_a_failing_background_job_is_restarted_and_readiness_names_it(service) -> None:
    client, job, fatal = service
    await eventually(lambda: ready(client))
    job.broken.set()
    body = await eventually(lambda: not_ready(client, "sweep"), timeout=10)
    assert body["reasons"] == ["sweep: RuntimeError"]
    assert body["checks"] == {"database": True, "kafka": True, "background_tasks": False}
    assert body["tasks"]["sweep"]["state"] == "failing"
    assert body["tasks"]["sweep"]["error"] == "RuntimeError"
    runs = job.runs
    job.broken.clear()
    body = await eventually(lambda: ready(client), timeout=10)
    assert body["tasks"]["sweep"]["state"] == "running" and body["tasks"]["sweep"]["restarts"] >= 1

    async def ran_again() -> bool:  # the restarted job goes on running
        return job.runs > runs + 1

    await eventually(ran_again, timeout=10)
    assert fatal == []


async def test_with_postgresql_stopped_requests_get_503_and_the_service_recovers(
    infra,
    service,
) -> None:
    client, _, fatal = service
    await eventually(lambda: ready(client))
    async with postgres_down(cluster_of(infra), mode="fast"):
        response = await client.get("/outbox-size")
        down = await eventually(lambda: not_ready(client, "outbox-relay"), timeout=10)
    assert response.status_code == 503 and response.headers["Retry-After"] == "5"
    assert response.json()["unavailable"] in ("database", "network")
    assert down["checks"]["database"] is False and "database is not answering" in down["reasons"]
    relay = next(r for r in down["reasons"] if r.startswith("outbox-relay: "))
    assert relay.endswith(("(database)", "(network)"))
    await eventually(lambda: ready(client), timeout=20)
    response = await client.get("/outbox-size")
    assert response.status_code == 200 and response.json() == {"rows": 0}
    assert fatal == []
