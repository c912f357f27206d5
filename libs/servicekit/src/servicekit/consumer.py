"""Consuming events reliably, in batches: parse, dedupe via the inbox, apply a batch in one
transaction, then commit its offsets.

Reading. FastStream's batch subscriber reads with `getmany` (up to `batch_size` records, whatever
has arrived), one Kafka consumer per worker, static members when given an instance id. Its ack
policy is MANUAL: the kit commits exactly the offsets after the records it handled
(`servicekit.offsets`), only after the database commit. A rebalance waits for the batch in hand
(`offsets.InFlight`), so partitions move only after its transaction and offsets have committed.

Parsing. `parse` is the one place wire bytes become an event. Malformed bytes, and an event whose
type does not travel on the topic it arrived on or whose `source` is not its producer
(`contracts.registry.check_origin`), are the message's own fault: dead-lettered at once, with the
reason. A type this reader does not know is skipped and counted.

Applying. A batch is applied in one unit of work: inbox rows for all its events in one statement,
each handler in turn (what it tracked mapped under its event's causation), the outbox rows in one
statement, one commit. A handler failing for its event's own reasons must not sink the batch: the
transaction is rolled back and the batch applied again without that event. No savepoints: a fresh
unit of work also drops what the failed handler changed in memory (tracked aggregates, emitted
events, after-commit callbacks), so no other handler can see its partial work, and the happy path
pays nothing. Then the event alone, with the bounded retries (the batch was its first attempt),
and dead-lettered if it keeps failing. A failure that is no one handler's (the commit itself)
applies the batch one event at a time.

Per-key order. Events keep their order within a partition. When an event fails, the later events
in the batch about the same person (its `subject`, the Kafka key) are held back: the rest of the
batch is applied, then the failing event alone until it is applied or dead-lettered, then the
held-back events. So no event overtakes an earlier one about the same person, even when the
failing event succeeds on its retry; events about other people do not wait for it.

Faults. Infrastructure faults (`servicekit.faults`) are never the message's: the batch is tried
again with back-off without limit, and after `infrastructure_wait` seconds its partitions are
rewound to its first records and the poll loop runs before they are read again (the back-off
carries on from where it was). A crash anywhere before the offset commit redelivers the batch;
the inbox recognises what committed and dead letters are idempotent pairs.
"""

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal, NamedTuple, TypeVar, get_origin

from contracts.envelope import Envelope
from contracts.registry import (
    EVENT_CLASSES,
    MalformedEvent,
    Misrouted,
    UnknownEventType,
    check_origin,
    parse_event,
)
from faststream import AckPolicy
from faststream.kafka import KafkaBroker
from opentelemetry import trace
from opentelemetry.sdk.trace import TracerProvider
from pydantic import ValidationError

from servicekit import offsets, telemetry
from servicekit.context import caused_by
from servicekit.deadletter import DeadLetter, DeadLetters
from servicekit.deliveries import Deliveries
from servicekit.faults import describe, is_infrastructure
from servicekit.skipped import SkippedEvents
from servicekit.supervision import Backoff, TaskHealth
from servicekit.uow import UnitOfWork

log = logging.getLogger(__name__)

Handler = Callable[[Any, UnitOfWork, Any], Awaitable[None]]
"""`handler(event, uow, deps)`: applies one event inside `uow`; `deps` are the service's."""
UowFactory = Callable[[], UnitOfWork]
T = TypeVar("T")


@dataclass(frozen=True)
class Batched:
    """A handler that reads ahead for a run of its events and writes behind them (see the
    module's docstring). Called on its own, it is `handle`: whatever `write_behind` would write
    must then reach the database at the unit of work's commit at the latest."""

    handle: Handler
    read_ahead: Callable[[Sequence[Any], UnitOfWork, Any], Awaitable[None]]
    """`read_ahead(events, uow, deps)`, before the first event of the run is handled."""
    write_behind: Callable[[UnitOfWork, Any], Awaitable[None]]
    """`write_behind(uow, deps)`, once the last event of the run has been handled."""

    async def __call__(self, event: Any, uow: UnitOfWork, deps: Any) -> None:
        await self.handle(event, uow, deps)


class Unprocessable(Exception):
    """A handler's verdict that this event can never be applied (e.g. refers to nothing known)."""


@dataclass(frozen=True)
class Delivery:
    """An event and the record it arrived in (None: handed to the consumer directly)."""

    event: Envelope[Any]
    record: Any = None


class HandlerFailed(Exception):
    """The handler of the batch's `index`th event failed for that event's own reasons."""

    def __init__(self, index: int, error: Exception) -> None:
        super().__init__(describe(error))
        self.index, self.error = index, error


_TYPED = {
    name: cls
    for name, cls in EVENT_CLASSES.items()
    if get_origin(cls.model_fields["type"].annotation) is Literal
}
"""Event classes whose `type` field admits only their own type: validating a body as one of
them either yields that type or fails."""


def _as_typed(record: Any) -> Envelope[Any] | None:
    """The event, read in one pass as the class its `ce_type` header names (as the outbox relay
    sends it); None when there is no such header or the body is not one (then `parse_event`
    reads it, and names what is wrong)."""
    name = next((v for k, v in record.headers or () if k == "ce_type"), None)
    cls = _TYPED.get(name.decode("utf-8", "replace")) if name else None
    if cls is None:
        return None
    try:
        return cls.model_validate_json(record.value or b"")
    except ValidationError:
        return None


class Batch(NamedTuple):
    """The batch handler's argument: the records FastStream fetched and the consumer that read
    them (to commit their offsets)."""

    records: list[Any]
    consumer: Any


async def _batch_of(message: Any) -> Batch:
    """The batch without FastStream's decoding of every JSON body (`parse` reads each record
    once), and without a worker-thread hop (asking for the message by annotation resolves it in
    one). Not the message itself: FastStream keeps what this returns in the message's own cache
    (`StreamMessage.decode`), so the message would refer to itself, and each batch, its records
    and bodies, would wait for a full garbage collection to be freed (the soak's heap steps)."""
    raw = message.raw_message
    return Batch(list(raw) if isinstance(raw, tuple | list) else [raw], message.consumer)


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
        batch_size: int = 200,
        poll_ms: int = 20,
        tracer_provider: TracerProvider | None = None,
        deliveries: Deliveries | None = None,
        fetch: Mapping[str, int] | None = None,
    ) -> None:
        self.name = name
        self.deliveries = deliveries or Deliveries(name, None)
        self._deps = deps
        self._unprocessable = (Unprocessable, *unprocessable)
        self._handlers, self._uow_factory, self._dead_letters = handlers, uow_factory, dead_letters
        self._max_attempts, self._backoff = max_attempts, backoff_ms / 1000
        self.skipped = skipped or SkippedEvents(name, None)
        self.health = health or TaskHealth("consumer")
        self._infra_backoff = infrastructure_backoff or Backoff()
        self._infra_wait = infrastructure_wait
        self._batch_size, self._poll_ms = batch_size, poll_ms
        self._fetch = dict(fetch or {})  # aiokafka options: fetch sizes, session timeout
        self._tracer = (tracer_provider or trace.get_tracer_provider()).get_tracer(__name__)
        self._stopping = asyncio.Event()
        self._subscribers: list[Any] = []
        self.in_flight: list[offsets.InFlight] = []

    def subscribe(
        self,
        broker: KafkaBroker,
        topics: Sequence[str],
        workers: int = 1,
        instance_id: str | None = None,
    ) -> None:
        """One Kafka consumer per worker, each for every topic, so a start or restart joins the
        group once. `instance_id` makes it a static member (`group.instance.id`): restarted
        under the same id, it takes its partitions back without a rebalance; with `workers` > 1
        each worker is a static member of its own (`<instance_id>/<n>`)."""
        for n in range(1, workers + 1):
            member = instance_id if workers == 1 or not instance_id else f"{instance_id}/{n}"
            in_flight = offsets.InFlight(self.name)
            subscriber = broker.subscriber(
                *topics,
                group_id=self.name,
                group_instance_id=member,
                auto_offset_reset="earliest",
                ack_policy=AckPolicy.MANUAL,
                batch=True,
                max_records=self._batch_size,
                batch_timeout_ms=self._poll_ms,
                listener=in_flight,
                decoder=_batch_of,
                title=self.name if workers == 1 else f"{self.name}:{n}",
                **self._fetch,
            )
            subscriber(self._batch_handler(in_flight))
            self._subscribers.append(subscriber)
            self.in_flight.append(in_flight)

    @property
    def subscribers(self) -> list[Any]:
        """FastStream's subscribers, one per worker (each with its aiokafka `consumer`)."""
        return list(self._subscribers)

    def assignment(self) -> list[set[Any]]:
        """The partitions each worker holds now (empty before it has joined the group)."""
        held = (getattr(s, "consumer", None) for s in self._subscribers)
        return [set(c.assignment()) if c is not None else set() for c in held]

    def stop(self) -> None:
        """Stop waiting for infrastructure: a batch in hand is left for redelivery."""
        self._stopping.set()

    @property
    def stopping(self) -> bool:
        """`stop()` was called, or the broker is stopping its subscribers."""
        return self._stopping.is_set() or any(not s.running for s in self._subscribers)

    def _batch_handler(self, in_flight: offsets.InFlight) -> Callable[..., Awaitable[None]]:
        async def on_batch(batch: Any) -> None:
            records, consumer = batch
            async with in_flight.lock:
                try:
                    await self.consume(records)
                    await self.until_infrastructure_is_back(
                        lambda: offsets.commit(consumer, records)
                    )
                except Exception:
                    offsets.rewind(consumer, records)  # read again after the poll loop
                    raise

        return on_batch

    async def consume(self, records: Sequence[Any]) -> None:
        """Parse `records` (in order) and apply the events among them as one batch."""
        deliveries = []
        for record in records:
            event = await self.parse(record)
            if event is not None:
                deliveries.append(Delivery(event, record))
        await self.apply_batch(deliveries)

    async def parse(self, record: Any) -> Envelope[Any] | None:
        """The event in `record`; None when it is skipped (a type this reader does not know)
        or dead-lettered (malformed, or not from where its type comes from)."""
        try:
            event = _as_typed(record) or parse_event(record.value or b"")
        except UnknownEventType:
            await self.until_infrastructure_is_back(lambda: self.skipped.record(record))
            return None
        except MalformedEvent as exc:
            await self._dead_letter_at_once(record, exc)
            return None
        try:
            check_origin(event, record.topic)
        except Misrouted as exc:
            await self._dead_letter_at_once(record, exc, event)
            return None
        return event

    async def apply_batch(self, deliveries: Sequence[Delivery]) -> None:
        """Apply `deliveries` in one unit of work, in order; a failing event is set aside as the
        module's docstring says."""
        handled = [d for d in deliveries if type(d.event) in self._handlers]
        if len(handled) <= 1:
            for delivery in handled:
                await self.apply(delivery.event, delivery.record)
            return
        try:
            fresh = await self.until_infrastructure_is_back(lambda: self._apply_together(handled))
        except HandlerFailed as failed:
            await self._apply_around(handled, failed)
        except Exception as exc:
            if is_infrastructure(exc):
                raise  # waited long enough (or stopping): rewind, read again later
            log.warning(
                "%s: a batch of %d failed to commit (%s); applying its events one at a time",
                self.name, len(handled), describe(exc),
            )  # fmt: skip
            for delivery in handled:
                await self.apply(delivery.event, delivery.record)
        else:
            for delivery, first in zip(handled, fresh, strict=True):
                await self._delivered(delivery, first)

    async def _apply_around(self, batch: Sequence[Delivery], failed: HandlerFailed) -> None:
        """The batch without the failing event and the later events about the same person;
        then the failing event alone; then those held back."""
        poison = batch[failed.index]
        person = poison.event.subject
        held = [d for d in batch[failed.index + 1 :] if d.event.subject == person]
        rest = [d for d in batch if d is not poison and not any(d is h for h in held)]
        log.warning(
            "%s: %s %s failed in a batch of %d (%s); applying the rest without it",
            self.name, poison.event.type, poison.event.id, len(batch), describe(failed.error),
        )  # fmt: skip
        await self.apply_batch(rest)
        await self.apply(poison.event, poison.record, failed=failed.error)
        await self.apply_batch(held)

    async def apply(
        self, event: Envelope[Any], record: Any = None, *, failed: Exception | None = None
    ) -> None:
        """Apply one event in its own unit of work, retried up to `max_attempts` times in all
        and then dead-lettered; `failed`: how its first attempt (in a batch) failed."""
        handler = self._handlers.get(type(event))
        if handler is None:
            return
        delivery, attempt = Delivery(event, record), 0
        while True:
            if failed is None:
                try:
                    fresh = await self.until_infrastructure_is_back(
                        lambda: self._apply_once(handler, delivery)
                    )
                except Exception as exc:
                    if is_infrastructure(exc):
                        raise  # waited long enough (or stopping): rewind, read again later
                    failed = exc
                else:
                    await self._delivered(delivery, fresh)
                    return
            attempt += 1
            if isinstance(failed, self._unprocessable) or attempt >= self._max_attempts:
                await self._dead_letter(record, event, failed, attempt)
                return
            log.warning(
                "%s: %s %s failed (attempt %d): %s",
                self.name, event.type, event.id, attempt, describe(failed),
            )  # fmt: skip
            failed = None
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

    async def _dead_letter_at_once(
        self, record: Any, exc: Exception, event: Envelope[Any] | None = None
    ) -> None:
        letter = DeadLetter.of(record, exc, attempts=1, event=event)
        await self.until_infrastructure_is_back(lambda: self._dead_letters.send(letter))

    async def _dead_letter(
        self, record: Any, event: Envelope[Any], exc: Exception, attempts: int
    ) -> None:
        if record is None:
            raise exc
        letter = DeadLetter.of(record, exc, attempts=attempts, event=event)
        await self.until_infrastructure_is_back(lambda: self._dead_letters.send(letter))

    async def _pause(self, seconds: float) -> None:
        until = time.monotonic() + seconds
        while not self.stopping and (left := until - time.monotonic()) > 0:
            await asyncio.sleep(min(left, 0.25))

    async def _delivered(self, delivery: Delivery, fresh: bool) -> None:
        """Counted for operations (servicekit.deliveries) once the event's work committed."""
        note = self.deliveries.applied if fresh else self.deliveries.duplicate
        await self.until_infrastructure_is_back(lambda: note(delivery.record, delivery.event))

    async def _apply_together(self, batch: Sequence[Delivery]) -> list[bool]:
        """Whether each event was applied now (False: the inbox had it already)."""
        async with self._uow_factory() as uow:
            fresh = await uow.first_times(self.name, [d.event for d in batch])
            deps = self._deps()
            new = [(index, d) for index, d in enumerate(batch) if fresh[index]]
            for handler, run in self._runs(new):
                if isinstance(handler, Batched):
                    await handler.read_ahead([d.event for _, d in run], uow, deps)
                for index, delivery in run:
                    try:
                        await self._handle(handler, delivery, uow, deps)
                    except Exception as exc:
                        if is_infrastructure(exc):
                            raise
                        raise HandlerFailed(index, exc) from exc
                if isinstance(handler, Batched):
                    await handler.write_behind(uow, deps)
            await uow.commit()
        return fresh

    def _runs(
        self, batch: Sequence[tuple[int, Delivery]]
    ) -> list[tuple[Handler, list[tuple[int, Delivery]]]]:
        """The batch cut into runs: consecutive events of one `Batched` handler's type go
        together, any other event is a run of its own."""
        runs: list[tuple[Handler, list[tuple[int, Delivery]]]] = []
        for index, delivery in batch:
            handler = self._handlers[type(delivery.event)]
            if runs and isinstance(handler, Batched) and runs[-1][0] is handler:
                runs[-1][1].append((index, delivery))
            else:
                runs.append((handler, [(index, delivery)]))
        return runs

    async def _apply_once(self, handler: Handler, delivery: Delivery) -> bool:
        """True when applied now; False when the inbox had it (a redelivery changes nothing)."""
        async with self._uow_factory() as uow:
            if not await uow.first_time(self.name, delivery.event):
                return False
            deps = self._deps()
            if isinstance(handler, Batched):
                await handler.read_ahead([delivery.event], uow, deps)
            await self._handle(handler, delivery, uow, deps)
            if isinstance(handler, Batched):
                await handler.write_behind(uow, deps)
            await uow.commit()
        return True

    async def _handle(
        self, handler: Handler, delivery: Delivery, uow: UnitOfWork, deps: Any
    ) -> None:
        """The handler, then the mapping of what it tracked, inside the event's causation and
        its own span (a child of the producer's, so one trace follows the flow)."""
        event, started = delivery.event, time.monotonic()
        with (
            caused_by(event.id, event.correlationid),
            telemetry.consumer_span(self._tracer, self.name, event, delivery.record),
        ):
            await handler(event, uow, deps)
            uow.map_tracked()
        self.deliveries.handled(event, time.monotonic() - started)
