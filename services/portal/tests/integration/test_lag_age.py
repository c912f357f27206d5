"""The age of the oldest event a group has not processed, on the real broker: the timestamp of
the record at its committed offset, found by ListOffsets alone (portal.lag_age)."""

import time
import uuid

import pytest
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, TopicPartition
from aiokafka.admin import AIOKafkaAdminClient, NewTopic
from portal.lag import consumer_lag
from portal.lag_age import oldest_unprocessed

pytestmark = pytest.mark.integration
AGES_S = (300, 200, 100)  # three records, published this long ago, oldest first


async def commit(kafka: dict, group: str, tp: TopicPartition, offset: int) -> None:
    consumer = AIOKafkaConsumer(**kafka, group_id=group, enable_auto_commit=False)
    await consumer.start()
    try:
        consumer.assign([tp])
        await consumer.commit({tp: offset})
    finally:
        await consumer.stop()


async def test_the_oldest_waiting_event_of_each_group_and_none_for_a_group_caught_up(infra):
    kafka = infra.kafka_options()
    topic, tag = f"lag-age-{uuid.uuid4().hex[:8]}", uuid.uuid4().hex[:8]
    admin = AIOKafkaAdminClient(**kafka)
    await admin.start()
    try:
        await admin.create_topics([NewTopic(topic, 1, 1)])
    finally:
        await admin.close()
    now_ms = int(time.time() * 1000)
    producer = AIOKafkaProducer(**kafka)
    await producer.start()
    try:
        for age in AGES_S:
            await producer.send_and_wait(topic, b"{}", timestamp_ms=now_ms - age * 1000)
    finally:
        await producer.stop()
    tp = TopicPartition(topic, 0)
    behind, caught_up = f"behind-{tag}", f"caught-up-{tag}"
    await commit(kafka, behind, tp, 1)  # has processed the first record only
    await commit(kafka, caught_up, tp, 3)

    lag = await consumer_lag(kafka, [behind, caught_up])
    assert {(p.group, p.lag) for p in lag} == {(behind, 2), (caught_up, 0)}
    [oldest] = await oldest_unprocessed(kafka, lag, now_ms)
    assert (oldest.group, oldest.topic, oldest.partition) == (behind, topic, 0)
    assert oldest.age_seconds == 200.0  # the record at offset 1, not the newest or the first
