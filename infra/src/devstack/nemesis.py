"""Faults in what flows, rather than in the servers: a topic replayed from offset 0, poison
messages among good ones, a payment run killed mid-batch. For fault tests and the soak; the
servers' own faults (kills, crashes, cuts, pauses) are `FaultPlatform`'s."""

import asyncio
import copy
import json
import signal
import sys
import uuid
from datetime import date
from typing import Any

from aiokafka import AIOKafkaProducer
from contracts.assessment import v1 as assessment
from contracts.topics import Topic

from devstack import apps
from devstack.fault_platform import PAYMENTS_ENV, FaultPlatform
from devstack.invariants import Poison, read_all

POISON_KINDS = ("not JSON", "no type", "missing data", "float money")
POISON_KEY = b"poison"


async def _producer(platform: FaultPlatform) -> AIOKafkaProducer:
    producer = AIOKafkaProducer(**platform.infra.kafka_options(), enable_idempotence=True)
    await producer.start()
    return producer


async def replay(platform: FaultPlatform, topic: Topic, last: int | None = None) -> int:
    """Every record of `topic` from offset 0 (or its `last` ones) published again, byte for
    byte (key, value, headers), as a producer retrying everything would; how many."""
    records = _not_poison(await read_all(platform, topic))
    records = records[-last:] if last else records
    producer = await _producer(platform)
    try:
        sent = [
            await producer.send(topic.name, r.value, key=r.key, headers=list(r.headers or ()))
            for r in records
        ]
        await asyncio.gather(*sent)
    finally:
        await producer.stop()
    return len(records)


def _not_poison(records: list[Any]) -> list[Any]:
    """Records published again leave out earlier poison: a copy of it is poison again, at an
    offset no check knows (the soak replays after poisoning, then poisons again)."""
    return [r for r in records if r.key != POISON_KEY]


async def poison_values(platform: FaultPlatform, count: int) -> list[tuple[str, bytes]]:
    """`count` records no consumer can ever apply, of each kind in turn; the decision-shaped
    ones are copies of a real DecisionMade with one thing broken."""
    rows = await platform.fetch(
        "assessment",
        "SELECT payload FROM outbox WHERE type = $1 LIMIT 1",
        assessment.DecisionMadeV1.event_type(),
    )
    real = (
        json.loads(rows[0]["payload"])
        if isinstance(rows[0]["payload"], str)
        else rows[0]["payload"]
    )
    values = []
    for n in range(count):
        kind = POISON_KINDS[n % len(POISON_KINDS)]
        event = copy.deepcopy(real) | {"id": str(uuid.uuid4()), "subject": f"poison-{n}"}
        if kind == "not JSON":
            value = b"{this is not JSON"
        else:
            if kind == "no type":
                del event["type"]
            elif kind == "missing data":
                event["data"] = {}
            else:
                event["data"]["award"]["net_weekly_pence"] += 0.5
            value = json.dumps(event).encode()
        values.append((kind, value))
    return values


async def inject_poison(platform: FaultPlatform, topic: Topic, good: int = 396) -> list[Poison]:
    """Poison at one record in a hundred: the last `good` records of `topic` published again
    (real events, which the inboxes absorb) with one poison record after every 99 of them, of
    each kind in turn; where each poison record landed."""
    again = _not_poison(await read_all(platform, topic))[-good:]
    values = await poison_values(platform, max(1, (len(again) + 1) // 99))
    producer = await _producer(platform)
    try:
        poison = []
        for n, record in enumerate(again, start=1):
            await producer.send(
                topic.name, record.value, key=record.key, headers=list(record.headers or ())
            )
            if n % 99 == 0 and values:
                kind, value = values.pop(0)
                sent = await producer.send_and_wait(topic.name, value, key=POISON_KEY)
                poison.append(Poison(topic.name, sent.partition, sent.offset, kind))
        await producer.flush()
        return poison
    finally:
        await producer.stop()


async def kill_payment_run(
    platform: FaultPlatform, run_date: date, batch_size: int = 10, after_batches: int = 2
) -> dict[str, Any]:
    """`python -m payments run-payments` started for `run_date` in small batches and killed
    with SIGKILL once `after_batches` batches have committed (mid-batch, most likely: it runs
    batches back to back); what the run had done by then."""
    app = apps.BY_NAME["payments"]
    env = apps.app_env(
        app,
        platform.ports,
        platform.infra,
        extra={"CAREBENEFIT_ENVIRONMENT": "test", **PAYMENTS_ENV},
    )
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "payments",
        "run-payments",
        "--run-date",
        run_date.isoformat(),
        "--batch-size",
        str(batch_size),
        env=env,
        stdout=asyncio.subprocess.DEVNULL,
        stderr=asyncio.subprocess.DEVNULL,
    )
    sql = "SELECT batches, instructed FROM payment_runs WHERE run_date = $1"
    try:
        while True:
            row = await platform.fetch("payments", sql, run_date)
            if row and row[0]["batches"] >= after_batches:
                break
            if process.returncode is not None:
                raise AssertionError(f"the run ended (status {process.returncode}) before the kill")
            await asyncio.sleep(0.02)
    finally:
        if process.returncode is None:
            process.send_signal(signal.SIGKILL)
        await process.wait()
    row = await platform.fetch("payments", sql + " AND status = 'in_progress'", run_date)
    return {
        "killed after batches": row[0]["batches"] if row else -1,
        "instructed before the kill": row[0]["instructed"] if row else -1,
    }
