"""Dead letters: the original bytes plus why they could not be processed, on `<consumer>.dlq`."""

import logging
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import asyncpg
from contracts.topics import dead_letter
from faststream.kafka import KafkaBroker

from servicekit.redaction import redact

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
            reason=redact(str(getattr(exc, "reason", exc)))[:2000],  # shown to operations
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
    """The dead-letter topic and the `dead_letters` table, written as one idempotent pair.

    The row comes first, keyed by the original (consumer, topic, partition, offset) and pending;
    then the record is published (waiting for the ack); then the row is marked published. The
    consumer commits the offset only after all three, so a crash anywhere in between redelivers
    the message and `send` finishes whatever is missing: the row is never written twice, and no
    topic record exists without its row (a crash after publishing and before marking can publish
    the record a second time, with the same original coordinates in its headers).
    """

    def __init__(self, consumer: str, broker: KafkaBroker, pool: asyncpg.Pool | None) -> None:
        self.consumer, self.topic = consumer, dead_letter(consumer).name
        self._broker, self._pool = broker, pool

    async def send(self, letter: DeadLetter) -> None:
        log.error(
            "%s: dead-lettering %s[%d]@%d (%s, event %s)", self.consumer, letter.topic,
            letter.partition, letter.offset, letter.error_class, letter.event_id,
        )  # fmt: skip
        if self._pool is not None and await self._record(letter) is not None:
            return  # already on the topic: a redelivery after a crash before the offset commit
        await self._broker.publish(
            letter.value, self.topic, key=letter.key, headers=letter.kafka_headers(self.consumer)
        )
        if self._pool is not None:
            await self._pool.execute(
                "UPDATE dead_letters SET published_at = now() WHERE consumer = $1 AND topic = $2"
                ' AND partition = $3 AND "offset" = $4',
                self.consumer, letter.topic, letter.partition, letter.offset,
            )  # fmt: skip

    async def _record(self, letter: DeadLetter) -> datetime | None:
        """Insert the pending row unless it exists; when it was published already, when."""
        return await self._pool.fetchval(  # type: ignore[union-attr]
            "WITH new AS (INSERT INTO dead_letters (consumer, topic, partition, \"offset\","
            " event_id, event_type, error_class, reason, attempts)"
            " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT DO NOTHING"
            " RETURNING published_at)"
            " SELECT published_at FROM new UNION ALL SELECT published_at FROM dead_letters"
            ' WHERE consumer = $1 AND topic = $2 AND partition = $3 AND "offset" = $4 LIMIT 1',
            self.consumer, letter.topic, letter.partition, letter.offset, letter.event_id,
            letter.event_type, letter.error_class, letter.reason, letter.attempts,
        )  # fmt: skip


async def dead_letter_summary(pool: asyncpg.Pool) -> dict[str, Any]:
    row = await pool.fetchrow(
        "SELECT count(*) AS count, count(*) FILTER (WHERE published_at IS NULL) AS pending"
        " FROM dead_letters"
    )
    recent = await pool.fetch(
        'SELECT consumer, error_class, reason, topic, partition, "offset", event_id,'
        " event_type, attempts, dead_lettered_at, published_at FROM dead_letters"
        " ORDER BY id DESC LIMIT 50"
    )
    return {"count": row["count"], "pending": row["pending"], "recent": [dict(r) for r in recent]}
