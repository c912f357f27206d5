"""A batch's offsets: committed exactly (the records handled, nothing the consumer merely
fetched), rewound on failure, and never moved by a rebalance while the batch is in hand."""

import asyncio
import contextlib
import logging
from collections.abc import Iterable
from typing import Any

from aiokafka import AIOKafkaConsumer, ConsumerRebalanceListener, TopicPartition
from aiokafka.errors import CommitFailedError, IllegalStateError

log = logging.getLogger(__name__)


def next_offsets(records: Iterable[Any]) -> dict[TopicPartition, int]:
    """Per partition, the offset after the last of `records`: what to commit once handled."""
    offsets: dict[TopicPartition, int] = {}
    for r in records:
        tp = TopicPartition(r.topic, r.partition)
        offsets[tp] = max(offsets.get(tp, 0), r.offset + 1)
    return offsets


def first_offsets(records: Iterable[Any]) -> dict[TopicPartition, int]:
    """Per partition, the offset of the first of `records`: where to read again."""
    offsets: dict[TopicPartition, int] = {}
    for r in records:
        tp = TopicPartition(r.topic, r.partition)
        offsets[tp] = min(offsets.get(tp, r.offset), r.offset)
    return offsets


async def commit(consumer: Any, records: list[Any]) -> bool:
    """Commit the offsets after `records`; False when the group has moved on (the partitions
    belong to another member now, which reads the records again: its inbox recognises them).
    Other broker failures are raised, to be retried as infrastructure."""
    if not isinstance(consumer, AIOKafkaConsumer):
        await consumer.commit()  # FastStream's in-memory test broker: nothing to choose
        return True
    try:
        await consumer.commit(next_offsets(records))
    except (CommitFailedError, IllegalStateError) as exc:
        log.warning(
            "offsets of %d records not committed (%s): the group rebalanced; their next reader's"
            " inbox will recognise them", len(records), type(exc).__name__,
        )  # fmt: skip
        return False
    return True


def rewind(consumer: Any, records: list[Any]) -> None:
    """Read `records` again: each partition back to its first record in the batch. A partition
    this consumer no longer holds is left alone (its next owner starts from the commit)."""
    for tp, offset in first_offsets(records).items():
        with contextlib.suppress(IllegalStateError, AssertionError):
            consumer.seek(tp, offset)


class InFlight(ConsumerRebalanceListener):
    """Held while a batch is applied and its offsets committed. A rebalance that revokes this
    member's partitions waits for it (aiokafka awaits the callback before rejoining, and the
    broker accepts the old generation's commit until then), so the partitions move only once
    the batch in hand has committed and the next owner starts after it."""

    def __init__(self, consumer_name: str) -> None:
        self.name = consumer_name
        self.lock = asyncio.Lock()
        self.waiting = 0
        """Revocations waiting for the batch in hand."""

    async def on_partitions_revoked(self, revoked: set[TopicPartition]) -> None:
        if self.lock.locked():
            log.info("%s: partitions revoked; waiting for the batch in hand to commit", self.name)
        self.waiting += 1
        try:
            async with self.lock:
                pass
        finally:
            self.waiting -= 1

    async def on_partitions_assigned(self, assigned: set[TopicPartition]) -> None:
        pass
