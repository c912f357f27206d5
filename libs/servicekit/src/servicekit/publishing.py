"""Publishing outbox records to Kafka: in order, without waiting per message, then every ack."""

import asyncio
import json
from collections.abc import Awaitable, Callable

from faststream.kafka import KafkaBroker
from opentelemetry import context as otel_context

from servicekit import telemetry
from servicekit.outbox import OutboxRecord


def kafka_publisher(broker: KafkaBroker) -> Callable[[list[OutboxRecord]], Awaitable[None]]:
    """Send a batch in order without waiting per message, then wait for every ack."""

    async def publish(records: list[OutboxRecord]) -> None:
        acks = []
        for record in records:
            headers = {k: v for k, v in record.headers.items() if k != "traceparent"}
            parent = telemetry.context_from_traceparent(record.headers.get("traceparent"))
            token = otel_context.attach(parent) if parent is not None else None
            try:
                acks.append(
                    await broker.publish(
                        json.dumps(record.payload).encode(),
                        record.topic,
                        key=record.key.encode(),
                        headers=headers,
                        no_confirm=True,
                    )
                )
            finally:
                if token is not None:
                    otel_context.detach(token)
        await asyncio.gather(*acks)

    return publish
