"""Batches on the real broker and database: a poison event in the middle of a batch, a crash
between the database commit and the offset commit, and a batch in hand across a rebalance."""

import asyncio
import contextlib
import uuid
from collections import Counter

import pytest
from aiokafka import AIOKafkaConsumer, TopicPartition
from faststream.kafka import KafkaBroker
from servicekit import db, offsets
from servicekit.consumer import Batched, EventConsumer
from servicekit.deadletter import DeadLetters
from servicekit.uow import AsyncpgUnitOfWork

from .support import NO_MIGRATIONS, eventually, submitted

pytestmark = pytest.mark.integration


@pytest.fixture
async def pool(fresh_database):
    pool = await db.create_pool(fresh_database)
    await db.migrate(pool, NO_MIGRATIONS)
    await pool.execute(
        "CREATE TABLE applied (seq bigserial, event_id text, subject text, tx bigint,"
        " at timestamptz, reader text)"
    )
    yield pool
    await pool.close()


class Reader:
    """A handler that records each event it applies by its label (its transaction and the time),
    emits one event per applied event, and fails as told: `poison` always, `flaky` on its first
    try, and `hold` waits until released. An event's label is its `case_id`; the person it is
    about is the label's first letter."""

    def __init__(self, name: str = "a") -> None:
        self.name, self.calls, self.seen_again = name, Counter(), Counter()
        self.poison: set[str] = set()
        self.flaky: set[str] = set()
        self.hold: set[str] = set()
        self.released = asyncio.Event()
        self.holding = asyncio.Event()

    async def __call__(self, event, uow, deps) -> None:
        label = event.data.case_id
        self.calls[label] += 1
        await uow.conn.execute(
            "INSERT INTO applied (event_id, subject, tx, at, reader)"
            " VALUES ($1, $2, txid_current(), clock_timestamp(), $3)",
            event.id, label, self.name,
        )  # fmt: skip
        uow.emit(submitted(event.subject))
        if label in self.poison:
            raise ValueError("this event can never be applied")
        if label in self.flaky and self.calls[label] == 1:
            raise ValueError("failed once")
        if label in self.hold:
            self.holding.set()
            await self.released.wait()


class CountingUnitOfWork(AsyncpgUnitOfWork):
    """Counts, for its reader, the events its inbox recognises as read before."""

    def __init__(self, pool, reader: Reader) -> None:
        super().__init__(pool)
        self.reader = reader

    async def first_times(self, consumer, events):
        fresh = await super().first_times(consumer, events)
        again = (e.data.case_id for e, new in zip(events, fresh, strict=True) if not new)
        self.reader.seen_again.update(again)
        return fresh


async def start(infra, pool, name: str, topic: str, reader: Reader, **broker) -> EventConsumer:
    kafka = KafkaBroker(**infra.faststream_options(), enable_idempotence=True, **broker)
    consumer = EventConsumer(
        name, {type(submitted()): reader}, lambda: CountingUnitOfWork(pool, reader),
        DeadLetters(name, kafka, pool), max_attempts=3, backoff_ms=10,
    )  # fmt: skip
    consumer.subscribe(kafka, [topic])
    consumer.broker = kafka  # type: ignore[attr-defined]
    await kafka.start()
    return consumer


def labelled(label: str):
    event = submitted(label[0])
    return event.model_copy(update={"data": event.data.model_copy(update={"case_id": label})})


async def publish(infra, topic: str, *labels: str, key: str | None = None) -> list:
    events = [labelled(label) for label in labels]
    kafka = KafkaBroker(**infra.faststream_options(), enable_idempotence=True)
    await kafka.start()
    try:
        for event in events:
            await kafka.publish(event.to_json_bytes(), topic, key=(key or event.subject).encode())
    finally:
        await kafka.stop()
    return events


async def rows(pool) -> dict[str, dict]:
    found = await pool.fetch("SELECT subject, tx, at, reader FROM applied ORDER BY seq")
    return {r["subject"]: dict(r) for r in found}


async def committed(infra, group: str, topic: str, partitions: int = 1) -> list[int | None]:
    reader = AIOKafkaConsumer(**infra.kafka_options(), group_id=group, enable_auto_commit=False)
    await reader.start()
    try:
        return [await reader.committed(TopicPartition(topic, p)) for p in range(partitions)]
    finally:
        await reader.stop()


@pytest.fixture
async def topic(make_topics):
    name = f"batch-{uuid.uuid4().hex[:8]}"
    await make_topics(f"{name}.in", f"{name}.dlq", partitions=1)
    return name, f"{name}.in"


async def test_a_poison_event_in_the_middle_of_a_batch_sinks_only_itself(
    infra, pool, topic
) -> None:
    name, in_topic = topic
    reader = Reader()
    reader.poison = {"a-poison"}  # about person "a", as a1 and a2 are
    await publish(infra, in_topic, "a1", "b1", "a-poison", "a2", "b2", key="one")
    consumer = await start(infra, pool, name, in_topic, reader)
    try:
        await eventually(lambda: pool.fetchval("SELECT count(*) FROM applied WHERE subject='a2'"))
    finally:
        await consumer.broker.stop()
    applied = await rows(pool)
    assert set(applied) == {"a1", "b1", "b2", "a2"}  # the poison's partial work is gone
    # the batch without the poison and the event held back for it, in one transaction ...
    assert applied["a1"]["tx"] == applied["b1"]["tx"] == applied["b2"]["tx"]
    letter = await pool.fetchrow("SELECT error_class, attempts, dead_lettered_at FROM dead_letters")
    assert (letter["error_class"], letter["attempts"]) == ("ValueError", 3)
    # ... and the later event about the same person only once the poison was dead-lettered
    assert applied["a2"]["at"] > letter["dead_lettered_at"]
    assert reader.calls["a-poison"] == 3  # once in the batch, twice alone
    outbox = await pool.fetchval("SELECT count(*) FROM outbox")
    assert outbox == 4  # the poison's emitted event was rolled back with it


async def test_an_event_that_fails_once_in_a_batch_is_not_overtaken_by_a_later_one(
    infra, pool, topic
) -> None:
    name, in_topic = topic
    reader = Reader()
    reader.flaky = {"a-flaky"}
    await publish(infra, in_topic, "a1", "a-flaky", "b1", "a2", key="one")
    consumer = await start(infra, pool, name, in_topic, reader)
    try:
        await eventually(lambda: pool.fetchval("SELECT count(*) FROM applied WHERE subject='a2'"))
    finally:
        await consumer.broker.stop()
    applied = await rows(pool)
    assert applied["a1"]["tx"] == applied["b1"]["tx"]
    assert applied["a1"]["at"] < applied["a-flaky"]["at"] < applied["a2"]["at"]
    assert await pool.fetchval("SELECT count(*) FROM dead_letters") == 0


async def hang(*_: object) -> bool:
    await asyncio.Event().wait()
    return False


async def test_a_batch_redelivered_after_a_crash_between_its_commit_and_its_offsets_changes_nothing(
    infra, pool, topic, monkeypatch
) -> None:
    name, in_topic = topic
    await publish(infra, in_topic, *(f"p{i}" for i in range(20)), key="one")
    monkeypatch.setattr(offsets, "commit", hang)  # the process dies before committing offsets
    first = Reader()
    consumer = await start(infra, pool, name, in_topic, first, graceful_timeout=1)
    await eventually(lambda: _is(pool.fetchval("SELECT count(*) FROM applied"), 20))
    await consumer.broker.stop()
    assert await committed(infra, name, in_topic) == [None]
    assert len({r["tx"] for r in (await rows(pool)).values()}) == 1  # one transaction

    monkeypatch.undo()
    again = Reader("b")
    restarted = await start(infra, pool, name, in_topic, again)
    try:
        await publish(infra, in_topic, "marker", key="one")
        await eventually(lambda: pool.fetchval("SELECT 1 FROM applied WHERE subject='marker'"))
    finally:
        await restarted.broker.stop()
    assert sum(again.calls.values()) == 1  # only the marker: the inbox knew the other 20
    assert sum(again.seen_again.values()) == 20
    assert await pool.fetchval("SELECT count(*) FROM applied") == 21
    assert await pool.fetchval("SELECT count(*) FROM outbox") == 21
    assert await committed(infra, name, in_topic) == [21]


async def test_a_rebalance_waits_for_the_batch_in_hand_and_nothing_is_read_twice(
    infra, pool, make_topics
) -> None:
    name = f"rebalance-{uuid.uuid4().hex[:8]}"
    in_topic = f"{name}.in"
    await make_topics(in_topic, f"{name}.dlq", partitions=2)
    first, second = Reader("a"), Reader("b")
    first.hold = {"slow"}  # about person "s"
    early = [f"{chr(97 + i)}{i}" for i in range(10)]  # ten people
    await publish(infra, in_topic, *early, "slow")
    a = await start(infra, pool, name, in_topic, first)
    b = None
    try:
        await asyncio.wait_for(first.holding.wait(), 30)  # a batch in hand, not committed
        joining = asyncio.create_task(start(infra, pool, name, in_topic, second))
        with contextlib.suppress(AssertionError):  # the rebalance has begun, and waits for a
            await eventually(lambda: _async(a.in_flight[0].waiting > 0), timeout=10)
        await asyncio.sleep(1)
        assert second.calls == Counter()  # the batch in hand is not handed to the newcomer
        first.released.set()
        b = await joining
        late = [f"{chr(97 + i % 26)}-late{i}" for i in range(20)]
        await publish(infra, in_topic, *late)
        everything = {*early, "slow", *late}
        await eventually(lambda: _is(pool.fetchval("SELECT count(*) FROM applied"), 21 + 10))
        await asyncio.sleep(1)  # anything read twice would arrive now
    finally:
        for consumer in (a, b):
            if consumer is not None:
                await consumer.broker.stop()
    applied = await rows(pool)
    assert set(applied) == everything
    assert await pool.fetchval("SELECT count(*) FROM applied") == len(everything)
    assert (first.calls + second.calls) == Counter(everything)  # no event handled twice ...
    assert first.seen_again + second.seen_again == Counter()  # ... nor even read twice
    assert {applied[s]["reader"] for s in late} == {"a", "b"}  # the partitions were shared
    assert await pool.fetchval("SELECT count(*) FROM dead_letters") == 0


async def _is(value, expected) -> bool:
    return await value == expected


async def _async(value):
    return value


async def test_two_workers_share_the_partitions_and_apply_each_event_once(
    infra, pool, make_topics
) -> None:
    name = f"workers-{uuid.uuid4().hex[:8]}"
    in_topic = f"{name}.in"
    await make_topics(in_topic, f"{name}.dlq", partitions=2)
    reader = Reader()
    kafka = KafkaBroker(**infra.faststream_options(), enable_idempotence=True)
    consumer = EventConsumer(
        name, {type(submitted()): reader}, lambda: CountingUnitOfWork(pool, reader),
        DeadLetters(name, kafka, pool),
    )  # fmt: skip
    consumer.subscribe(kafka, [in_topic], workers=2, instance_id=f"{name}@test")
    await kafka.start()
    try:
        labels = [f"{chr(97 + i % 26)}{i}" for i in range(40)]
        await publish(infra, in_topic, *labels)
        await eventually(lambda: _is(pool.fetchval("SELECT count(*) FROM applied"), 40))
        first, second = consumer.assignment()
    finally:
        await kafka.stop()
    assert reader.calls == Counter(labels)
    assert len(first) == len(second) == 1 and first != second


class BatchedReader(Reader):
    """The Reader's verdicts, but as a `Batched` handler: `read_ahead` notes each run's labels
    and how many rows it could see then, each handler only keeps its row in memory, and
    `write_behind` writes the run's rows in one statement."""

    def __init__(self) -> None:
        super().__init__("batched")
        self.runs: list[tuple[list[str], int]] = []

    async def read_ahead(self, events, uow, deps) -> None:
        seen = await uow.conn.fetchval("SELECT count(*) FROM applied")
        self.runs.append(([e.data.case_id for e in events], seen))
        uow.waiting = []

    async def handle(self, event, uow, deps) -> None:
        label = event.data.case_id
        self.calls[label] += 1
        uow.waiting.append(label)
        uow.emit(submitted(event.subject))
        if label in self.poison:
            raise ValueError("this event can never be applied")

    async def write_behind(self, uow, deps) -> None:
        await uow.conn.execute(
            "INSERT INTO applied (subject, tx, at, reader) SELECT s, txid_current(),"
            " clock_timestamp(), 'batched' FROM unnest($1::text[]) AS s",
            uow.waiting,
        )

    def handler(self) -> Batched:
        return Batched(self.handle, self.read_ahead, self.write_behind)


async def test_a_batched_handler_reads_and_writes_once_a_run_and_a_poison_sinks_only_itself(
    infra, pool, topic
) -> None:
    name, in_topic = topic
    reader = BatchedReader()
    reader.poison = {"a-poison"}
    events = [labelled(label) for label in ("a1", "b1", "a-poison", "a2", "b2")]
    events.insert(2, events[1])  # b1 delivered twice in the one batch
    kafka = KafkaBroker(**infra.faststream_options(), enable_idempotence=True)
    await kafka.start()
    try:
        for event in events:
            await kafka.publish(event.to_json_bytes(), in_topic, key=b"one")
    finally:
        await kafka.stop()
    broker = KafkaBroker(**infra.faststream_options(), enable_idempotence=True)
    consumer = EventConsumer(
        name, {type(submitted()): reader.handler()}, lambda: CountingUnitOfWork(pool, reader),
        DeadLetters(name, broker, pool), max_attempts=3, backoff_ms=10,
    )  # fmt: skip
    consumer.subscribe(broker, [in_topic])
    await broker.start()
    try:
        await eventually(lambda: pool.fetchval("SELECT count(*) FROM applied WHERE subject='a2'"))
    finally:
        await broker.stop()
    applied = await rows(pool)
    assert list(applied) == ["a1", "b1", "b2", "a2"]  # b1 once; the poison's work is gone
    assert applied["a1"]["tx"] == applied["b1"]["tx"] == applied["b2"]["tx"]
    assert reader.seen_again["b1"] >= 1  # the inbox recognised the repeat within the batch
    # the whole batch's run, then again without the poison and the event held back for it,
    # then the poison alone for its two retries, then the held-back event, which sees the rest
    assert reader.runs == [
        (["a1", "b1", "a-poison", "a2", "b2"], 0),
        (["a1", "b1", "b2"], 0),
        (["a-poison"], 3),
        (["a-poison"], 3),
        (["a2"], 3),
    ]
    letter = await pool.fetchrow("SELECT error_class, attempts FROM dead_letters")
    assert (letter["error_class"], letter["attempts"]) == ("ValueError", 3)
    assert await pool.fetchval("SELECT count(*) FROM outbox") == 4
