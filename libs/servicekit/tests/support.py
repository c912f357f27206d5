"""Helpers for the service kit's tests."""

import asyncio
import time
import uuid
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

from aiokafka import AIOKafkaConsumer
from contracts.assessment.v1 import AssessmentSubmitted, AssessmentSubmittedV1

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
