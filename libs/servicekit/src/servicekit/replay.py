"""Replaying a dead letter: the record a replay publishes, and how a consumer recognises one.

Operations (the portal's console) replays a dead letter by publishing its original bytes again,
unchanged, with its original key and headers, to the topic and partition it first came from:
the event keeps its id and its producer's `source`, so the inbox and the event-binding rule
treat it as the same event. These headers are added (a dead letter's own `dlq.*` headers and
any earlier replay's are dropped first):

    replay.id           one id per replayed record
    replay.consumer     the consumer whose dead letter it was
    replay.dead_letter  that dead letter's row id in the consumer's database
    replay.attempts     the attempts it had had before (a dead letter made of it counts them)

Every consumer of the topic receives the record; each notes what it did with it in
`replay_outcomes` (servicekit.deliveries): applied, a duplicate its inbox absorbed, or
dead-lettered again.
"""

import asyncio
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, TopicPartition

REPLAY_ID, REPLAY_CONSUMER = "replay.id", "replay.consumer"
REPLAY_DEAD_LETTER, REPLAY_ATTEMPTS = "replay.dead_letter", "replay.attempts"
_OWN_PREFIXES = ("dlq.", "replay.")


@dataclass(frozen=True)
class Replay:
    id: str
    consumer: str
    dead_letter_id: int | None
    prior_attempts: int

    def headers(self) -> dict[str, str]:
        headers = {REPLAY_ID: self.id, REPLAY_CONSUMER: self.consumer}
        if self.dead_letter_id is not None:
            headers[REPLAY_DEAD_LETTER] = str(self.dead_letter_id)
        return headers | {REPLAY_ATTEMPTS: str(self.prior_attempts)}


def header_dict(headers: Iterable[tuple[str, bytes]] | None) -> dict[str, str]:
    return {key: value.decode("utf-8", "replace") for key, value in headers or ()}


def replay_of(record: Any) -> Replay | None:
    """The replay `record` belongs to; None for an ordinary delivery."""
    raw = getattr(record, "headers", None) or ()
    if not any(key == REPLAY_ID for key, _ in raw):  # the usual case: no header to decode
        return None
    headers = header_dict(raw)
    dead_letter = headers.get(REPLAY_DEAD_LETTER, "")
    attempts = headers.get(REPLAY_ATTEMPTS, "")
    return Replay(
        id=headers[REPLAY_ID][:100],
        consumer=headers.get(REPLAY_CONSUMER, "")[:100],
        dead_letter_id=int(dead_letter) if dead_letter.isdigit() else None,
        prior_attempts=int(attempts) if attempts.isdigit() else 0,
    )


def original_headers(headers: Mapping[str, str]) -> dict[str, str]:
    """A dead letter's headers as the record first carried them."""
    return {k: v for k, v in headers.items() if not k.startswith(_OWN_PREFIXES)}


def replay_record_headers(dead_letter_headers: Mapping[str, str], replay: Replay) -> dict[str, str]:
    """The headers a replay publishes: the original ones and the replay's."""
    return original_headers(dead_letter_headers) | replay.headers()


@dataclass(frozen=True)
class StoredRecord:
    """A dead letter's record as it is on the dead-letter topic."""

    key: bytes | None
    value: bytes
    headers: dict[str, str]
    timestamp_ms: int


class DeadLetterTopics:
    """Reads dead letters' records where they are on their topics, and publishes replays, as a
    principal allowed to (`operations`: devstack.kafka_acls). `kafka`: aiokafka client options."""

    def __init__(self, kafka: Mapping[str, Any], timeout: float = 5.0) -> None:
        self._kafka, self._timeout = dict(kafka), timeout

    async def read(self, topic: str, partition: int, offset: int) -> StoredRecord | None:
        """The record at that place; None when the topic no longer has it (retention)."""
        return (await self.read_many([(topic, partition, offset)])).get((topic, partition, offset))

    async def read_many(
        self, places: Iterable[tuple[str, int, int]]
    ) -> dict[tuple[str, int, int], StoredRecord]:
        wanted = sorted(set(places))
        found: dict[tuple[str, int, int], StoredRecord] = {}
        if not wanted:
            return found
        consumer = AIOKafkaConsumer(
            **self._kafka, enable_auto_commit=False, request_timeout_ms=int(self._timeout * 1000)
        )
        await asyncio.wait_for(consumer.start(), self._timeout)
        try:
            partitions = sorted({TopicPartition(t, p) for t, p, _ in wanted})
            consumer.assign(partitions)
            for topic, partition, offset in wanted:
                record = await self._at(consumer, TopicPartition(topic, partition), offset)
                if record is not None:
                    found[(topic, partition, offset)] = record
        finally:
            await consumer.stop()
        return found

    async def _at(
        self, consumer: AIOKafkaConsumer, tp: TopicPartition, offset: int
    ) -> StoredRecord | None:
        consumer.seek(tp, offset)
        batches = await consumer.getmany(tp, timeout_ms=int(self._timeout * 1000), max_records=1)
        for record in batches.get(tp, []):
            if record.offset == offset:
                return StoredRecord(
                    record.key, record.value or b"", header_dict(record.headers), record.timestamp
                )
        return None

    async def publish(self, orders: Sequence[Any]) -> dict[int, str]:
        """Each order (contracts.api.operations.ReplayOrderView) published again to its original
        topic and partition: its dead letter id -> "published", or why it was not."""
        places = [(o.dlq_topic, o.dlq_partition, o.dlq_offset) for o in orders]
        records = await self.read_many(places)
        producer = AIOKafkaProducer(**self._kafka, enable_idempotence=True, acks="all")
        await asyncio.wait_for(producer.start(), self._timeout)
        done: dict[int, str] = {}
        try:
            for order, place in zip(orders, places, strict=True):
                record = records.get(place)
                if record is None:
                    done[order.dead_letter_id] = "its record is no longer on the dead-letter topic"
                    continue
                replay = Replay(
                    order.replay_id, order.consumer, order.dead_letter_id, order.prior_attempts
                )
                headers = replay_record_headers(record.headers, replay)
                await producer.send_and_wait(
                    order.topic,
                    record.value,
                    key=record.key,
                    partition=order.partition,
                    headers=[(k, v.encode()) for k, v in headers.items()],
                )
                done[order.dead_letter_id] = "published"
        finally:
            await producer.stop()
        return done
