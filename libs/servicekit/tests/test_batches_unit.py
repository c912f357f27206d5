"""Batches on fakes: one unit of work per batch, what a failing handler leaves behind, and
events refused for where they came from."""

from types import SimpleNamespace

from servicekit.consumer import Batched, Delivery, EventConsumer, Unprocessable
from servicekit.events import new_event
from servicekit.testing import FakeUnitOfWork

from .support import submitted
from .test_consumer_unit import FakeDeadLetters


class CountingUnitOfWork(FakeUnitOfWork):
    def __init__(self) -> None:
        super().__init__()
        self.commits = 0

    async def _commit(self, events) -> None:
        self.commits += 1
        await super()._commit(events)


def record(offset: int, topic: str = "t", value: bytes = b"{}") -> SimpleNamespace:
    return SimpleNamespace(
        topic=topic, partition=0, offset=offset, key=b"k", value=value, headers=[]
    )


def consumer_with(handler, uow, dead=None) -> EventConsumer:
    return EventConsumer(
        "svc", {type(submitted()): handler}, lambda: uow, dead or FakeDeadLetters(),
        max_attempts=3, backoff_ms=0,
    )  # fmt: skip


def from_source(source: str):
    return submitted().model_copy(update={"source": source})


def batch(*subjects: str) -> list[Delivery]:
    return [Delivery(submitted(s), record(i)) for i, s in enumerate(subjects)]


class Plan:
    def __init__(self, subject: str) -> None:
        self.subject, self.events = subject, ["drafted"]


async def test_a_batch_commits_once_and_maps_each_handlers_aggregates_under_its_cause(
    monkeypatch,
) -> None:
    def outbound(plan: Plan) -> list:
        return [new_event(type(submitted()), source="/s", subject=plan.subject, data=DATA)]

    monkeypatch.setattr(CountingUnitOfWork, "outbound", staticmethod(outbound))
    uow = CountingUnitOfWork()

    async def handler(event, uow, deps) -> None:
        plan = Plan(event.subject)
        uow.track(plan)
        uow.track(plan)

    deliveries = batch("p1", "p2", "p3")
    await consumer_with(handler, uow).apply_batch(deliveries)
    assert uow.commits == 1
    assert [(e.subject, e.causationid) for e in uow.published] == [
        (d.event.subject, d.event.id) for d in deliveries
    ]


async def test_what_a_failing_handler_emitted_is_never_published() -> None:
    uow = CountingUnitOfWork()

    async def handler(event, uow, deps) -> None:
        uow.emit(new_event(type(event), source="/s", subject=event.subject, data=event.data))
        if event.subject == "poison":
            raise ValueError("can never be applied")

    dead = FakeDeadLetters()
    await consumer_with(handler, uow, dead).apply_batch(batch("p1", "poison", "p2"))
    assert sorted(e.subject for e in uow.published) == ["p1", "p2"]
    assert [(d.error_class, d.attempts, d.offset) for d in dead.sent] == [("ValueError", 3, 1)]


async def test_an_unprocessable_event_in_a_batch_is_dead_lettered_without_retries() -> None:
    uow, calls = CountingUnitOfWork(), []

    async def handler(event, uow, deps) -> None:
        calls.append(event.subject)
        if event.subject == "unknown":
            raise Unprocessable("decision for an unknown person")

    dead = FakeDeadLetters()
    await consumer_with(handler, uow, dead).apply_batch(batch("p1", "unknown", "p2"))
    assert calls.count("unknown") == 1 and [d.attempts for d in dead.sent] == [1]


async def test_a_batch_whose_commit_fails_is_applied_one_event_at_a_time() -> None:
    class FailsOnce(CountingUnitOfWork):
        async def _commit(self, events) -> None:
            if self.commits == 0:
                self.commits += 1
                raise ValueError("a deferred constraint, no one handler's fault")
            await super()._commit(events)

    uow, applied = FailsOnce(), []

    async def handler(event, uow, deps) -> None:
        applied.append(event.subject)

    await consumer_with(handler, uow).apply_batch(batch("p1", "p2", "p3"))
    assert applied == ["p1", "p2", "p3", "p1", "p2", "p3"] and uow.commits == 4


DATA = submitted().data


async def test_an_event_on_a_topic_its_type_does_not_travel_on_is_dead_lettered() -> None:
    dead, event = FakeDeadLetters(), from_source("/services/assessment")
    consumer = consumer_with(None, CountingUnitOfWork(), dead)
    wire = record(3, topic="benefits.uc-claims", value=event.to_json_bytes())
    assert await consumer.parse(wire) is None
    [letter] = dead.sent
    assert letter.error_class == "Misrouted" and letter.event_id == event.id
    assert letter.reason.endswith("travels on assessment.events, not on benefits.uc-claims")


async def test_an_event_from_another_producer_is_dead_lettered() -> None:
    dead = FakeDeadLetters()
    forged = from_source("/services/payments")
    consumer = consumer_with(None, CountingUnitOfWork(), dead)
    assert await consumer.parse(record(4, "assessment.events", forged.to_json_bytes())) is None
    assert [d.reason for d in dead.sent] == [
        f"{forged.type} is produced by /services/assessment, not by '/services/payments'"
    ]
    genuine = from_source("/services/assessment")
    assert await consumer.parse(record(5, "assessment.events", genuine.to_json_bytes()))


async def test_the_inbox_scopes_event_ids_by_the_registrys_producer() -> None:
    """A forged copy naming another source cannot make a genuine event look new (or the other
    way round): the inbox key's source is the producer the registry knows for the type."""
    uow = FakeUnitOfWork()
    genuine = from_source("/services/assessment")
    forged = genuine.model_copy(update={"source": "/services/elsewhere"})
    assert await uow.first_times("svc", [forged, genuine]) == [True, False]


async def test_each_event_in_a_batch_gets_a_span_under_its_producers() -> None:
    from opentelemetry.sdk.trace import TracerProvider
    from opentelemetry.sdk.trace.export import SimpleSpanProcessor
    from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

    exporter, provider = InMemorySpanExporter(), TracerProvider()
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    producers = [f"00-{n:032x}-{n:016x}-01" for n in (1, 2)]
    deliveries = batch("p1", "p2")
    for delivery, traceparent in zip(deliveries, producers, strict=True):
        delivery.record.headers = [("traceparent", traceparent.encode())]
    uow = CountingUnitOfWork()

    async def handler(event, uow, deps) -> None:
        uow.emit(new_event(type(event), source="/s", subject=event.subject, data=event.data))

    consumer = EventConsumer(
        "svc", {type(submitted()): handler}, lambda: uow, FakeDeadLetters(),
        tracer_provider=provider,
    )  # fmt: skip
    await consumer.apply_batch(deliveries)
    spans = exporter.get_finished_spans()
    assert [(s.context.trace_id, s.parent.span_id) for s in spans] == [(1, 1), (2, 2)]
    assert [e.traceparent.split("-")[1:3] for e in uow.published] == [
        [f"{s.context.trace_id:032x}", f"{s.context.span_id:016x}"] for s in spans
    ]


def batched(steps: list) -> Batched:
    """A `Batched` handler that notes each step: ("ahead", subjects), subject, "behind"."""

    async def read_ahead(events, uow, deps) -> None:
        steps.append(("ahead", [e.subject for e in events]))

    async def handle(event, uow, deps) -> None:
        steps.append(event.subject)
        if event.subject == "poison":
            raise Unprocessable("can never be applied")

    async def write_behind(uow, deps) -> None:
        steps.append("behind")

    return Batched(handle, read_ahead, write_behind)


async def test_a_batched_handler_reads_ahead_and_writes_behind_each_run_of_its_events() -> None:
    steps: list = []
    handlers = {type(submitted()): batched(steps)}
    consumer = EventConsumer("svc", handlers, CountingUnitOfWork, FakeDeadLetters())
    await consumer.apply_batch(batch("p1", "p2", "p3"))
    assert steps == [("ahead", ["p1", "p2", "p3"]), "p1", "p2", "p3", "behind"]
    steps.clear()
    await consumer.apply(submitted("alone"))  # one event alone is a run of one
    assert steps == [("ahead", ["alone"]), "alone", "behind"]


async def test_an_event_another_handler_takes_ends_a_run() -> None:
    steps: list = []

    async def plain(event, uow, deps) -> None:
        steps.append(f"plain {event.subject}")

    class Plain(type(submitted())):
        pass

    handlers = {type(submitted()): batched(steps), Plain: plain}
    deliveries = batch("p1", "p2", "p3", "p4")
    middle = Plain.model_validate(deliveries[2].event.model_dump())
    deliveries[2] = Delivery(middle, deliveries[2].record)
    await EventConsumer("svc", handlers, CountingUnitOfWork, FakeDeadLetters()).apply_batch(
        deliveries
    )
    assert steps == [
        ("ahead", ["p1", "p2"]), "p1", "p2", "behind",
        "plain p3",
        ("ahead", ["p4"]), "p4", "behind",
    ]  # fmt: skip


async def test_a_poison_in_a_run_is_set_aside_and_applied_alone_as_a_run_of_one() -> None:
    steps: list = []
    uow, dead = CountingUnitOfWork(), FakeDeadLetters()
    consumer = EventConsumer(
        "svc", {type(submitted()): batched(steps)}, lambda: uow, dead, max_attempts=3,
        backoff_ms=0,
    )  # fmt: skip
    await consumer.apply_batch(batch("p1", "poison", "p2"))
    assert steps == [
        ("ahead", ["p1", "poison", "p2"]), "p1", "poison",  # the batch, rolled back
        ("ahead", ["p1", "p2"]), "p1", "p2", "behind",  # the rest, committed
    ]  # fmt: skip
    assert [d.attempts for d in dead.sent] == [1] and uow.commits == 1
