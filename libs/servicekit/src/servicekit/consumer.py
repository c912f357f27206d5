"""Consuming events reliably: parse, dedupe via the inbox, apply in one transaction, then ack.

Ack policy (chosen on purpose): NACK_ON_ERROR. The offset is committed only after the handler's
database transaction has committed. A message that cannot be processed — malformed, or failing
after a bounded number of attempts — is sent to the consumer's dead-letter topic *before* it is
acked. Infrastructure failures (database or broker down) are not the message's fault: they are
raised, the partition is rewound, and the message is read again once things recover.
"""

import asyncio
import logging
from collections.abc import Awaitable, Callable, Mapping
from typing import Any

import asyncpg
from contracts.envelope import Envelope
from contracts.registry import MalformedEvent, UnknownEventType, parse_event
from faststream import AckPolicy
from faststream.kafka import KafkaBroker
from faststream.kafka.annotations import KafkaMessage

from servicekit.context import caused_by
from servicekit.deadletter import DeadLetter, DeadLetters
from servicekit.uow import UnitOfWork

log = logging.getLogger(__name__)

Handler = Callable[[Any, UnitOfWork, Any], Awaitable[None]]
"""`handler(event, uow, deps)`: applies one event inside `uow`; `deps` are the service's."""
UowFactory = Callable[[], UnitOfWork]


class Unprocessable(Exception):
    """A handler's verdict that this event can never be applied (e.g. refers to nothing known)."""


TRANSIENT = (
    OSError,
    asyncpg.PostgresConnectionError,
    asyncpg.InterfaceError,
    asyncpg.SerializationError,
    asyncpg.DeadlockDetectedError,
    asyncpg.TooManyConnectionsError,
)


class EventConsumer:
    def __init__(
        self,
        name: str,
        handlers: Mapping[type[Envelope[Any]], Handler],
        uow_factory: UowFactory,
        dead_letters: DeadLetters,
        *,
        max_attempts: int = 3,
        backoff_ms: int = 100,
        deps: Callable[[], Any] = lambda: None,
        unprocessable: tuple[type[Exception], ...] = (),
    ) -> None:
        self.name = name
        self._deps = deps
        self._unprocessable = (Unprocessable, *unprocessable)
        self._handlers, self._uow_factory, self._dead_letters = handlers, uow_factory, dead_letters
        self._max_attempts, self._backoff = max_attempts, backoff_ms / 1000

    def subscribe(self, broker: KafkaBroker, topics: list[str], workers: int = 1) -> None:
        """One consumer per topic (and up to `workers` per topic, one per partition), so a slow
        topic does not hold up the others; every member is in this consumer's group."""
        options: dict[str, Any] = {"max_workers": workers} if workers > 1 else {}
        for topic in topics:
            broker.subscriber(
                topic,
                group_id=self.name,
                auto_offset_reset="earliest",
                ack_policy=AckPolicy.NACK_ON_ERROR,
                title=f"{self.name}:{topic}",
                **options,
            )(self.on_message)

    async def on_message(self, msg: KafkaMessage) -> None:
        record = msg.raw_message
        try:
            event = parse_event(record.value or b"")
        except UnknownEventType:
            return  # tolerant reader: events this consumer has no use for are skipped
        except MalformedEvent as exc:
            await self._dead_letters.send(DeadLetter.of(record, exc, attempts=1))
            return
        await self.apply(event, record)

    async def apply(self, event: Envelope[Any], record: Any = None) -> None:
        handler = self._handlers.get(type(event))
        if handler is None:
            return
        for attempt in range(1, self._max_attempts + 1):
            try:
                await self._apply_once(handler, event)
                return
            except TRANSIENT:
                if attempt == self._max_attempts:
                    raise  # NACK: the partition is rewound and this event read again later
            except self._unprocessable as exc:
                await self._dead_letter(record, event, exc, attempt)
                return
            except Exception as exc:
                log.warning("%s: %s failed (attempt %d): %r", self.name, event.type, attempt, exc)
                if attempt == self._max_attempts:
                    await self._dead_letter(record, event, exc, attempt)
                    return
            await asyncio.sleep(self._backoff * 2 ** (attempt - 1))

    async def _apply_once(self, handler: Handler, event: Envelope[Any]) -> None:
        async with self._uow_factory() as uow:
            if not await uow.first_time(self.name, event):
                return  # already applied: a redelivery changes nothing
            with caused_by(event.id, event.correlationid):
                await handler(event, uow, self._deps())
            await uow.commit()

    async def _dead_letter(
        self, record: Any, event: Envelope[Any], exc: Exception, attempts: int
    ) -> None:
        if record is None:
            raise exc
        await self._dead_letters.send(DeadLetter.of(record, exc, attempts=attempts, event=event))
