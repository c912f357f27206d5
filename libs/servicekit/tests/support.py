"""Helpers for the service kit's tests."""

import asyncio
import time
import uuid
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import asyncpg
import pytest
from aiokafka import AIOKafkaConsumer
from contracts.assessment.v1 import AssessmentSubmitted, AssessmentSubmittedV1
from servicekit.faults import is_infrastructure
from servicekit.uow import AsyncpgUnitOfWork

NO_MIGRATIONS = Path(__file__).parent / "no_migrations"


def submitted(subject: str = "person-1", **overrides: Any) -> AssessmentSubmittedV1:
    data = AssessmentSubmitted(
        case_id="c1", assessment_id=str(uuid.uuid4()), assessor_id="a1", area_code="E09000033"
    )
    return AssessmentSubmittedV1(source="/services/test", subject=subject, data=data, **overrides)


async def eventually(check: Callable[[], Awaitable[Any]], timeout: float = 30.0) -> Any:
    """Polls `check` until it returns something truthy; fails with its last value."""
    deadline, value = time.monotonic() + timeout, None
    while time.monotonic() < deadline:
        value = await check()
        if value:
            return value
        await asyncio.sleep(0.1)
    raise AssertionError(f"condition not met within {timeout}s; last value: {value!r}")


async def read_topic(
    kafka: dict[str, Any], topic: str, want: int, timeout: float = 20.0
) -> list[Any]:
    """Reads a topic from the start until `want` records arrived (or the timeout); `kafka`:
    aiokafka client arguments (`infra.kafka_options()`)."""
    consumer = AIOKafkaConsumer(
        topic,
        **kafka,
        auto_offset_reset="earliest",
        enable_auto_commit=False,
        group_id=None,
    )
    await consumer.start()
    records: list[Any] = []
    try:
        deadline = time.monotonic() + timeout
        while len(records) < want and time.monotonic() < deadline:
            batch = await consumer.getmany(timeout_ms=200)
            for part in batch.values():
                records.extend(part)
    finally:
        await consumer.stop()
    return records


def cluster_of(infra: Any) -> Any:
    """The session's own PostgreSQL cluster, which fault tests stop and start."""
    if infra.postgres is None:
        pytest.skip("PostgreSQL is an external server (DATABASE_URL): it cannot be restarted")
    return infra.postgres


async def until_reachable(step: Callable[[], Awaitable[Any]], timeout: float = 30.0) -> Any:
    """`step()`, tried again while it fails for infrastructure (as a caller given 503 would)."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            return await step()
        except Exception as exc:
            if not is_infrastructure(exc) or time.monotonic() > deadline:
                raise
            await asyncio.sleep(0.2)


async def emit(pool: Any, *events: Any, commit: bool = True) -> None:
    """A state change and its events in one unit of work, as a use case makes them."""
    async with AsyncpgUnitOfWork(pool) as uow:
        await uow.conn.execute("CREATE TABLE IF NOT EXISTS state (v text)")
        await uow.conn.execute("INSERT INTO state VALUES ('changed')")
        for event in events:
            uow.emit(event)
        if commit:
            await uow.commit()


async def make_durable(url: str) -> str:
    """The test cluster runs with synchronous_commit off (fast): a crash loses the last commits.
    Fault tests that crash PostgreSQL turn it on for their database, as production has it."""
    admin = await asyncpg.connect(url)
    try:
        name = await admin.fetchval("SELECT current_database()")
        await admin.execute(f'ALTER DATABASE "{name}" SET synchronous_commit = on')
    finally:
        await admin.close()
    return url
