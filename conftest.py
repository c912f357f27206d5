"""Test-session fixtures shared by every test directory.

Integration and end-to-end tests ask for `infra`: one real Kafka broker and one real PostgreSQL
cluster per test session, started on free ports (or adopted from KAFKA_BOOTSTRAP_SERVERS /
DATABASE_URL), secured as in the demo: SASL/SCRAM over TLS with ACLs, password-only TLS
PostgreSQL. Tests connect through it: `infra.kafka_options(principal)` (aiokafka),
`infra.faststream_options(principal)`, `infra.kafka_settings(principal)` (service settings),
all as `admin` by default (tests use their own topics); `infra.database_url(db)` is the
superuser's. Unit tests never touch it.
"""

import uuid
from collections.abc import AsyncIterator

import asyncpg
import pytest
from aiokafka.admin import AIOKafkaAdminClient, NewTopic
from devstack.stack import Infra, running_infra


@pytest.fixture(scope="session")
async def infra() -> AsyncIterator[Infra]:
    async with running_infra() as started:
        yield started


@pytest.fixture
async def fresh_database(infra: Infra) -> AsyncIterator[str]:
    """A new, empty database for one test; its URL."""
    name = f"t_{uuid.uuid4().hex[:12]}"
    admin = await asyncpg.connect(infra.database_url("postgres"))
    try:
        await admin.execute(f'CREATE DATABASE "{name}"')
    finally:
        await admin.close()
    yield infra.database_url(name)


@pytest.fixture
async def make_topics(infra: Infra):  # noqa: ANN201
    """Creates uniquely named topics for one test: `await make_topics("a.events", "a.dlq")`."""
    admin = AIOKafkaAdminClient(**infra.kafka_options())  # as devstack's admin principal
    await admin.start()

    async def create(*names: str, partitions: int = 1) -> None:
        await admin.create_topics([NewTopic(n, partitions, 1) for n in names])

    try:
        yield create
    finally:
        await admin.close()
