"""Publishing outbox records to Kafka: in order, without waiting per message, then every ack.

Each record is sent on the broker's own aiokafka producer (its connection, idempotence, lz4 and
linger), not through FastStream's publish pipeline, whose telemetry middleware makes two spans
and a metric per message: a relay batch is hundreds of messages, so that was most of the relay's
CPU. The kit makes the one span each message needs, `<topic> publish`, a child of the span that
produced the event (its `traceparent`), and sends that span's context in the `traceparent`
header, so the consumer's span follows it in the same trace (servicekit.telemetry).
"""

import asyncio
from collections import Counter
from collections.abc import Awaitable, Callable

from aiokafka import AIOKafkaProducer
from faststream.kafka import KafkaBroker
from opentelemetry import trace
from opentelemetry.trace import TracerProvider

from servicekit import telemetry
from servicekit.metrics import ServiceMetrics
from servicekit.outbox import OutboxRecord


def kafka_producer(broker: KafkaBroker) -> AIOKafkaProducer:
    """The started broker's aiokafka producer (FastStream keeps it in a private attribute; the
    outbox tests fail at once should that change)."""
    return broker.config.producer._producer.producer


def kafka_publisher(
    broker: KafkaBroker,
    metrics: ServiceMetrics | None = None,
    tracer_provider: TracerProvider | None = None,
) -> Callable[[list[OutboxRecord]], Awaitable[None]]:
    """Send a batch in order without waiting per message, then wait for every ack."""
    tracer = (tracer_provider or trace.get_tracer_provider()).get_tracer(__name__)

    async def publish(records: list[OutboxRecord]) -> None:
        producer = kafka_producer(broker)
        acks = []
        for record in records:
            span = telemetry.producer_span(tracer, record)
            headers = [(k, v.encode()) for k, v in record.headers.items() if k != "traceparent"]
            if traceparent := telemetry.traceparent_of(span) or record.headers.get("traceparent"):
                headers.append(("traceparent", traceparent.encode()))
            try:
                acks.append(
                    await producer.send(
                        record.topic, record.value, key=record.key.encode(), headers=headers
                    )
                )
            except BaseException as exc:
                span.record_exception(exc)
                span.set_status(trace.StatusCode.ERROR, type(exc).__name__)
                raise
            finally:
                span.end()
        await asyncio.gather(*acks)
        if metrics is not None:
            for topic, count in Counter(record.topic for record in records).items():
                metrics.sent.labels(topic).inc(count)

    return publish
