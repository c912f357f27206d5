"""Consuming events reliably: parse, dedupe via the inbox, apply in one transaction, then ack.

Ack policy (chosen on purpose): NACK_ON_ERROR. The offset is committed only after the handler's
database transaction has committed. Only a message's own faults are dead-lettered, before the
offset moves: malformed bytes, a domain error declared unprocessable, or a handler still failing
after a bounded number of attempts. Infrastructure faults (`servicekit.faults`: the database or
broker down, restarting or overloaded) are never the message's: the consumer waits with back-off
and tries again, without limit, and after `infrastructure_wait` seconds of waiting it raises,
so that FastStream rewinds the partition and the poll loop runs before the message is read
again (the back-off carries on from where it was).

Two steps, kept apart for batch consumption later: `parse` (the one place wire bytes become an
event, or are skipped or dead-lettered) and `apply` (one event in one unit of work).
"""

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable, Mapping, Sequence
from typing import Any, TypeVar

from contracts.envelope import Envelope
from contracts.registry import MalformedEvent, UnknownEventType, parse_event
from faststream import AckPolicy
from faststream.kafka import KafkaBroker
from faststream.kafka.annotations import KafkaMessage

from servicekit.context import caused_by
from servicekit.deadletter import DeadLetter, DeadLetters
from servicekit.faults import describe, is_infrastructure
from servicekit.skipped import SkippedEvents
from servicekit.supervision import Backoff, TaskHealth
from servicekit.uow import UnitOfWork

log = logging.getLogger(__name__)

Handler = Callable[[Any, UnitOfWork, Any], Awaitable[None]]
"""`handler(event, uow, deps)`: applies one event inside `uow`; `deps` are the service's."""
UowFactory = Callable[[], UnitOfWork]
T = TypeVar("T")


class Unprocessable(Exception):
    """A handler's verdict that this event can never be applied (e.g. refers to nothing known)."""


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
        skipped: SkippedEvents | None = None,
        health: TaskHealth | None = None,
        infrastructure_backoff: Backoff | None = None,
        infrastructure_wait: float = 30.0,
    ) -> None:
        self.name = name
        self._deps = deps
        self._unprocessable = (Unprocessable, *unprocessable)
        self._handlers, self._uow_factory, self._dead_letters = handlers, uow_factory, dead_letters
        self._max_attempts, self._backoff = max_attempts, backoff_ms / 1000
        self.skipped = skipped or SkippedEvents(name, None)
        self.health = health or TaskHealth("consumer")
        self._infra_backoff = infrastructure_backoff or Backoff()
        self._infra_wait = infrastructure_wait
        self._stopping = asyncio.Event()
        self._subscribers: list[Any] = []

    def subscribe(
        self,
        broker: KafkaBroker,
        topics: Sequence[str],
        workers: int = 1,
        instance_id: str | None = None,
    ) -> None:
        """One Kafka consumer for every topic, so a start or restart joins the group once.
        `instance_id` makes it a static member (`group.instance.id`): restarted under the same
        id, it takes its partitions back without a rebalance. With `workers` > 1, FastStream
        needs one subscriber per topic (up to `workers` members each, one per partition), and
        static membership is off (the members would share one id)."""
        options: dict[str, Any] = dict(
            group_id=self.name, auto_offset_reset="earliest", ack_policy=AckPolicy.NACK_ON_ERROR
        )
        if workers == 1:
            options |= dict(group_instance_id=instance_id, title=self.name)
            subscribers = [broker.subscriber(*topics, **options)]
        else:
            subscribers = [
                broker.subscriber(
                    topic, max_workers=workers, title=f"{self.name}:{topic}", **options
                )
                for topic in topics
            ]
        for subscriber in subscribers:
            subscriber(self.on_message)
        self._subscribers += subscribers

    def stop(self) -> None:
        """Stop waiting for infrastructure: a message in hand is left for redelivery."""
        self._stopping.set()

    @property
    def stopping(self) -> bool:
        """`stop()` was called, or the broker is stopping its subscribers."""
        return self._stopping.is_set() or any(not s.running for s in self._subscribers)

    async def on_message(self, msg: KafkaMessage) -> None:
        record = msg.raw_message
        event = await self.parse(record)
        if event is not None:
            await self.apply(event, record)

    async def parse(self, record: Any) -> Envelope[Any] | None:
        """The event in `record`; None when it is skipped (a type this reader does not know)
        or dead-lettered (malformed)."""
        try:
            return parse_event(record.value or b"")
        except UnknownEventType:
            await self.until_infrastructure_is_back(lambda: self.skipped.record(record))
        except MalformedEvent as exc:
            letter = DeadLetter.of(record, exc, attempts=1)
            await self.until_infrastructure_is_back(lambda: self._dead_letters.send(letter))
        return None

    async def apply(self, event: Envelope[Any], record: Any = None) -> None:
        handler = self._handlers.get(type(event))
        if handler is None:
            return
        attempt = 0
        while True:
            try:
                await self.until_infrastructure_is_back(lambda: self._apply_once(handler, event))
                return
            except Exception as exc:
                if is_infrastructure(exc):
                    raise  # waited long enough (or stopping): NACK, read again later
                attempt += 1
                if isinstance(exc, self._unprocessable) or attempt >= self._max_attempts:
                    await self._dead_letter(record, event, exc, attempt)
                    return
                log.warning(
                    "%s: %s %s failed (attempt %d): %s",
                    self.name, event.type, event.id, attempt, describe(exc),
                )  # fmt: skip
            await asyncio.sleep(self._backoff * 2 ** (attempt - 1))

    async def until_infrastructure_is_back(self, step: Callable[[], Awaitable[T]]) -> T:
        """`step()`, run again after a back-off for as long as it fails for infrastructure;
        raises that failure after `infrastructure_wait` seconds (or when stopping)."""
        waiting_since: float | None = None
        while True:
            try:
                result = await step()
            except Exception as exc:
                if not is_infrastructure(exc):
                    raise
                self.health.failed(exc)
                waiting_since = waiting_since or time.monotonic()
                if self.stopping or time.monotonic() - waiting_since > self._infra_wait:
                    raise
                delay = self._infra_backoff.next_delay()
                log.warning("%s: %s; trying again in %.1f s", self.name, describe(exc), delay)
                await self._pause(delay)
                continue
            self._infra_backoff.reset()
            self.health.ok()
            return result

    async def _pause(self, seconds: float) -> None:
        until = time.monotonic() + seconds
        while not self.stopping and (left := until - time.monotonic()) > 0:
            await asyncio.sleep(min(left, 0.25))

    async def _apply_once(self, handler: Handler, event: Envelope[Any]) -> None:
        async with self._uow_factory() as uow:
            if not await uow.first_time(self.name, event):
                return  # already applied: a redelivery changes nothing
            # Committing inside: events mapped from aggregates at commit are caused by this one.
            with caused_by(event.id, event.correlationid):
                await handler(event, uow, self._deps())
                await uow.commit()

    async def _dead_letter(
        self, record: Any, event: Envelope[Any], exc: Exception, attempts: int
    ) -> None:
        if record is None:
            raise exc
        letter = DeadLetter.of(record, exc, attempts=attempts, event=event)
        await self.until_infrastructure_is_back(lambda: self._dead_letters.send(letter))
