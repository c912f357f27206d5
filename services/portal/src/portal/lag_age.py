"""How long the oldest event each consumer group has not processed has waited: the Kafka
timestamp of the record at the group's committed offset, found with ListOffsets by timestamp
(a binary search over time), which needs only DESCRIBE on the topic: the portal reads no
event to learn it. The timestamp is when the outbox relay published the event (its age in the
outbox before that is on the same page)."""

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from aiokafka import AIOKafkaConsumer, TopicPartition

from portal.lag import PartitionLag

WINDOW_MS = 31 * 24 * 3600 * 1000  # older than this shows as "over 31 days"


@dataclass(frozen=True)
class OldestUnprocessed:
    group: str
    topic: str
    partition: int
    age_seconds: float | None  # None: older than the window


async def oldest_unprocessed(
    kafka: Mapping[str, Any], lag: list[PartitionLag], now_ms: int
) -> list[OldestUnprocessed]:
    """Per group with lag, its oldest waiting event (over all its partitions)."""
    waiting = [p for p in lag if p.lag > 0]
    if not waiting:
        return []
    consumer = AIOKafkaConsumer(**kafka, enable_auto_commit=False)
    await consumer.start()
    try:
        stamps: dict[tuple[str, int, int], int | None] = {}
        for round_ in _rounds(waiting):
            stamps |= await _timestamps(consumer, round_, now_ms)
    finally:
        await consumer.stop()
    oldest: dict[str, OldestUnprocessed] = {}
    for p in waiting:
        stamp = stamps.get((p.topic, p.partition, max(p.committed, 0)))
        age = None if stamp is None else max(0.0, (now_ms - stamp) / 1000)
        seen = oldest.get(p.group)
        if seen is None or (
            seen.age_seconds is not None and (age is None or age > seen.age_seconds)
        ):
            oldest[p.group] = OldestUnprocessed(p.group, p.topic, p.partition, age)
    return [oldest[g] for g in sorted(oldest)]


def _rounds(waiting: list[PartitionLag]) -> list[dict[TopicPartition, int]]:
    """The offsets to date, each partition at most once a round (groups differ in offset)."""
    rounds: list[dict[TopicPartition, int]] = []
    for offset_of in {(p.topic, p.partition, max(p.committed, 0)) for p in waiting}:
        tp = TopicPartition(offset_of[0], offset_of[1])
        free = next((r for r in rounds if tp not in r), None)
        if free is None:
            rounds.append(free := {})
        free[tp] = offset_of[2]
    return rounds


async def _timestamps(
    consumer: AIOKafkaConsumer, offsets: dict[TopicPartition, int], now_ms: int
) -> dict[tuple[str, int, int], int | None]:
    """The timestamp of the record at each offset: the greatest time T at which the first
    record at or after T is at or before the offset is that record's own time."""
    low = {tp: now_ms - WINDOW_MS for tp in offsets}
    high = {tp: now_ms + 1 for tp in offsets}
    found: dict[TopicPartition, int | None] = dict.fromkeys(offsets)
    while any(high[tp] - low[tp] > 1 for tp in offsets):
        middle = {tp: (low[tp] + high[tp]) // 2 for tp in offsets if high[tp] - low[tp] > 1}
        answers = await consumer.offsets_for_times(middle)
        for tp, at in middle.items():
            answer = answers.get(tp)
            if answer is not None and answer.offset <= offsets[tp]:
                low[tp], found[tp] = at, answer.timestamp
            else:
                high[tp] = at
    return {(tp.topic, tp.partition, offsets[tp]): found[tp] for tp in offsets}
