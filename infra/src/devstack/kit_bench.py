"""`python -m devstack.kit_bench`: the service kit's own CPU per event, on a real broker and
database.

Three phases in this one process, each timed on its own (wall seconds and this process's CPU
seconds, `time.process_time`, which a shared machine's load disturbs far less than the wall
clock): use cases writing N events to the outbox (`--per-commit` events a unit of work), the
outbox relay publishing them to Kafka, and a consumer applying them with a handler that does
nothing (so what is measured is the kit: parsing, registry checks, inbox, spans, metrics, the
commit and the offsets). The kit is wired as a service wires it (servicekit.service): lz4,
linger, spans to a JSON-lines file. The consumer is timed from its first event to its last (its
start and joining the group left out). `--consumer-batch 1` is live traffic, where each poll
finds one event. Not a test, but it refuses to print a figure when an event is missing or
applied twice.
"""

import argparse
import asyncio
import logging
import os
import shutil
import tempfile
import time
import uuid
import zlib
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import asyncpg
from contracts.assessment.v1 import SOURCE, AssessmentSubmitted, AssessmentSubmittedV1
from contracts.topics import ASSESSMENT_EVENTS, dead_letter
from faststream.kafka import KafkaBroker
from opentelemetry.sdk.trace import TracerProvider
from servicekit import db, telemetry
from servicekit.consumer import EventConsumer
from servicekit.deadletter import DeadLetters
from servicekit.deliveries import Deliveries
from servicekit.events import new_event
from servicekit.metrics import ServiceMetrics
from servicekit.outbox import OutboxRelay
from servicekit.publishing import kafka_publisher
from servicekit.uow import AsyncpgUnitOfWork

from devstack.stack import Infra, running_infra

NAME = "kitbench"


def broker_for(infra: Infra) -> KafkaBroker:
    """As servicekit.service builds a service's broker (its default settings)."""
    return KafkaBroker(
        **infra.faststream_options(),
        client_id=NAME,
        enable_idempotence=True,
        linger_ms=5,
        compression_type="lz4",
        log_level=logging.DEBUG,
    )


async def timed(step: Callable[[], Awaitable[Any]], events: int) -> dict[str, float]:
    cpu, wall = time.process_time(), time.perf_counter()
    await step()
    cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    return {"events_per_s": events / wall, "cpu_us_per_event": cpu / events * 1e6}


async def write_events(pool: asyncpg.Pool, provider: TracerProvider, n: int, per: int) -> None:
    """Use cases emitting `per` events a unit of work, each inside a span (as a request is)."""
    tracer = provider.get_tracer(NAME)
    for start in range(0, n, per):
        with tracer.start_as_current_span("use case"):
            async with AsyncpgUnitOfWork(pool) as uow:
                for i in range(start, min(start + per, n)):
                    data = AssessmentSubmitted(
                        case_id=f"c{i}", assessment_id=str(uuid.uuid4()), assessor_id="a1",
                        area_code="E09000033",
                    )  # fmt: skip
                    uow.emit(
                        new_event(AssessmentSubmittedV1, source=SOURCE, subject=f"p{i}", data=data)
                    )
                await uow.commit()


async def relay_all(pool: asyncpg.Pool, broker: KafkaBroker, provider, n: int, batch: int) -> None:
    relay = OutboxRelay(
        pool,
        kafka_publisher(broker, ServiceMetrics(), provider),
        lock_key=zlib.crc32(NAME.encode()),
        batch_size=batch,
    )
    while relay.published_count < n:
        if await relay.drain_once() == 0:
            raise RuntimeError(f"the relay published {relay.published_count} of {n}")


async def nothing(event: Any, uow: Any, deps: Any) -> None:
    return None


async def consume_all(
    infra: Infra, pool: asyncpg.Pool, provider: TracerProvider, n: int, batch: int
) -> dict[str, float]:
    """Timed from the first event in the inbox to the last, so the broker's start (TLS, SASL,
    joining the group) is left out: what remains is the cost of consuming."""
    broker = broker_for(infra)
    deliveries = Deliveries(NAME, pool, ServiceMetrics())
    consumer = EventConsumer(
        NAME,
        {AssessmentSubmittedV1: nothing},
        lambda: AsyncpgUnitOfWork(pool),
        DeadLetters(NAME, broker, pool, deliveries),
        batch_size=batch,
        tracer_provider=provider,
        deliveries=deliveries,
    )
    consumer.subscribe(broker, [ASSESSMENT_EVENTS.name])
    await broker.start()
    first: tuple[int, float, float] | None = None
    try:
        deadline = time.monotonic() + 600
        while (count := await pool.fetchval("SELECT count(*) FROM inbox")) < n:
            if first is None and count:
                first = count, time.process_time(), time.perf_counter()
            if time.monotonic() > deadline:
                raise RuntimeError("the consumer did not catch up within 10 minutes")
            await asyncio.sleep(0.05)
        cpu, wall = time.process_time(), time.perf_counter()
    finally:
        await broker.stop()
    inbox = await pool.fetchval("SELECT count(DISTINCT event_id) FROM inbox")
    letters = await pool.fetchval("SELECT count(*) FROM dead_letters")
    if inbox != n or letters or first is None:
        raise RuntimeError(f"{n} events: {inbox} in the inbox, {letters} dead letters")
    events = n - first[0]
    return {
        "events_per_s": events / (wall - first[2]),
        "cpu_us_per_event": (cpu - first[1]) / events * 1e6,
    }


async def main(events: int, per_commit: int, relay_batch: int, consumer_batch: int) -> None:
    topics = [ASSESSMENT_EVENTS, dead_letter(NAME)]
    async with running_infra(databases=[NAME], topics=topics, with_oidc=False) as infra:
        work = Path(tempfile.mkdtemp(prefix="kitbench-"))
        provider = telemetry.create_tracer_provider(NAME, work / "traces.jsonl")
        pool = await db.create_pool(infra.database_url(NAME))
        (work / "migrations").mkdir()
        await db.migrate(pool, work / "migrations")
        broker = broker_for(infra)
        await broker.start()
        try:
            figures = {
                "outbox write": await timed(
                    lambda: write_events(pool, provider, events, per_commit), events
                ),
                "relay": await timed(
                    lambda: relay_all(pool, broker, provider, events, relay_batch), events
                ),
            }
            await broker.stop()
            figures["consume"] = await consume_all(infra, pool, provider, events, consumer_batch)
        finally:
            await pool.close()
            provider.shutdown()
            shutil.rmtree(work, ignore_errors=True)
    print(
        f"kit_bench: {events} events, load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}"
    )
    for phase, f in figures.items():
        print(
            f"  {phase:<13} {f['events_per_s']:>8.0f} events/s"
            f"  {f['cpu_us_per_event']:>7.0f} µs CPU per event"
        )
    total = sum(f["cpu_us_per_event"] for f in figures.values())
    print(f"  {'kit total':<13} {'':>17}  {total:>7.0f} µs CPU per event")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--events", type=int, default=5000)
    parser.add_argument("--per-commit", type=int, default=1, help="events a use case emits")
    parser.add_argument("--relay-batch", type=int, default=500)
    parser.add_argument("--consumer-batch", type=int, default=200)
    args = parser.parse_args()
    asyncio.run(main(args.events, args.per_commit, args.relay_batch, args.consumer_batch))
