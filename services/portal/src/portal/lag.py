"""Consumer lag per group and partition: committed offset against the end of each partition."""

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from aiokafka import AIOKafkaConsumer
from aiokafka.admin import AIOKafkaAdminClient


@dataclass(frozen=True)
class PartitionLag:
    group: str
    topic: str
    partition: int
    committed: int
    end: int

    @property
    def lag(self) -> int:
        return max(0, self.end - max(self.committed, 0))


async def consumer_lag(kafka: Mapping[str, Any], groups: list[str]) -> list[PartitionLag]:
    """`kafka`: aiokafka client arguments (`PortalSettings.kafka_client_options()`)."""
    admin = AIOKafkaAdminClient(**kafka, request_timeout_ms=5000)
    consumer = AIOKafkaConsumer(**kafka, enable_auto_commit=False)
    await admin.start()
    await consumer.start()
    try:
        committed = {group: await admin.list_consumer_group_offsets(group) for group in groups}
        partitions = {tp for offsets in committed.values() for tp in offsets}
        ends = await consumer.end_offsets(list(partitions)) if partitions else {}
    finally:
        await consumer.stop()
        await admin.close()
    return sorted(
        (
            PartitionLag(group, tp.topic, tp.partition, meta.offset, ends.get(tp, 0))
            for group, offsets in committed.items()
            for tp, meta in offsets.items()
        ),
        key=lambda p: (p.group, p.topic, p.partition),
    )
