"""Dead letters: the original bytes plus why they could not be processed, on `<consumer>.dlq`."""

import logging
from dataclasses import dataclass
from typing import Any

import asyncpg
from contracts.topics import dead_letter
from faststream.kafka import KafkaBroker

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class DeadLetter:
    topic: str
    partition: int
    offset: int
    key: bytes | None
    value: bytes
    headers: dict[str, str]
    error_class: str
    reason: str
    attempts: int
    event_id: str | None = None
    event_type: str | None = None

    @classmethod
    def of(cls, record: Any, exc: Exception, attempts: int, event: Any = None) -> "DeadLetter":
        return cls(
            topic=record.topic,
            partition=record.partition,
            offset=record.offset,
            key=record.key,
            value=record.value or b"",
            headers={k: v.decode("utf-8", "replace") for k, v in (record.headers or ())},
            error_class=type(exc).__name__,
            reason=str(getattr(exc, "reason", exc))[:2000],
            attempts=attempts,
            event_id=getattr(event, "id", None),
            event_type=getattr(event, "type", None),
        )

    def kafka_headers(self, consumer: str) -> dict[str, str]:
        return {
            **self.headers,
            "dlq.consumer": consumer,
            "dlq.error_class": self.error_class,
            "dlq.reason": self.reason,
            "dlq.attempts": str(self.attempts),
            "dlq.original_topic": self.topic,
            "dlq.original_partition": str(self.partition),
            "dlq.original_offset": str(self.offset),
        }


class DeadLetters:
    """Publishes to the dead-letter topic (waiting for the ack) and records it for operations."""

    def __init__(self, consumer: str, broker: KafkaBroker, pool: asyncpg.Pool | None) -> None:
        self.consumer, self.topic = consumer, dead_letter(consumer).name
        self._broker, self._pool = broker, pool

    async def send(self, letter: DeadLetter) -> None:
        log.error(
            "%s: dead-lettering %s[%d]@%d: %s",
            self.consumer,
            letter.topic,
            letter.partition,
            letter.offset,
            letter.reason,
        )
        await self._broker.publish(
            letter.value, self.topic, key=letter.key, headers=letter.kafka_headers(self.consumer)
        )
        if self._pool is not None:
            await self._pool.execute(
                'INSERT INTO dead_letters (consumer, topic, partition, "offset", event_id,'
                " event_type, error_class, reason, attempts) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9)"
                " ON CONFLICT DO NOTHING",
                self.consumer,
                letter.topic,
                letter.partition,
                letter.offset,
                letter.event_id,
                letter.event_type,
                letter.error_class,
                letter.reason,
                letter.attempts,
            )
