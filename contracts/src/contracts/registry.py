"""Which events travel on which topic and who may produce them, and how to read one off the wire.

Each event type is bound to one topic and one producer (`source`): a consumer refuses an event of
a type that does not travel on the topic it arrived on, or whose `source` is not its producer's
(`check_origin`), and scopes its inbox by the producer the registry knows (`producer_of`), so
another producer can neither forge an event nor choose a de-duplication key that suppresses a
genuine one.
"""

from dataclasses import dataclass
from types import ModuleType
from typing import Any

from pydantic import TypeAdapter, ValidationError

from contracts import topics
from contracts.assessment import v1 as assessment_v1
from contracts.benefits import v1 as benefits_v1
from contracts.care_plans import v1 as care_plans_v1
from contracts.envelope import KEYS_ONLY, Envelope
from contracts.notifications import v1 as notifications_v1
from contracts.payments import v1 as payments_v1

_PRODUCERS: dict[str, ModuleType] = {
    topics.ASSESSMENT_EVENTS.name: assessment_v1,
    topics.PAYMENTS_EVENTS.name: payments_v1,
    topics.CARE_PLANS_EVENTS.name: care_plans_v1,
    topics.NOTIFICATIONS_EVENTS.name: notifications_v1,
    topics.BENEFITS_UC_CLAIMS.name: benefits_v1,
}
"""Each topic's contract module: its `EVENTS` and its producer's `SOURCE`."""


@dataclass(frozen=True)
class Binding:
    topic: str
    source: str
    """The one producer that may emit events of the type."""


EVENTS_BY_TOPIC: dict[str, tuple[type[Envelope[Any]], ...]] = {
    topic: module.EVENTS for topic, module in _PRODUCERS.items()
}
BINDINGS: dict[str, Binding] = {
    cls.event_type(): Binding(topic, module.SOURCE)
    for topic, module in _PRODUCERS.items()
    for cls in module.EVENTS
}
EVENT_CLASSES: dict[str, type[Envelope[Any]]] = {
    cls.event_type(): cls for events in EVENTS_BY_TOPIC.values() for cls in events
}
TOPIC_OF_TYPE: dict[str, str] = {name: binding.topic for name, binding in BINDINGS.items()}


class MalformedEvent(ValueError):
    """The bytes are not a valid event of a known type; `reason` says what is wrong."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class UnknownEventType(MalformedEvent):
    """A well-formed envelope whose type this reader does not know (a tolerant reader skips it)."""


class Misrouted(MalformedEvent):
    """A well-formed event that did not come from where its type comes from: another topic, or a
    `source` that is not its producer's."""


_ENVELOPE_HEAD = TypeAdapter(dict[str, Any], config=KEYS_ONLY)


def parse_event(raw: bytes) -> Envelope[Any]:
    """Parse wire bytes into the event class named by its `type`."""
    try:
        head = _ENVELOPE_HEAD.validate_json(raw)
    except ValidationError as exc:
        raise MalformedEvent(f"not a JSON object: {exc.errors()[0]['msg']}") from exc
    event_type = head.get("type")
    if not isinstance(event_type, str):
        raise MalformedEvent("missing field 'type'")
    cls = EVENT_CLASSES.get(event_type)
    if cls is None:
        raise UnknownEventType(f"unknown event type {event_type!r}")
    try:
        return cls.model_validate(head)
    except ValidationError as exc:
        first = exc.errors()[0]
        field = ".".join(str(p) for p in first["loc"])
        raise MalformedEvent(f"{event_type}: field '{field}': {first['msg']}") from exc


def topic_for(event: Envelope[Any]) -> str:
    return TOPIC_OF_TYPE[event.type]


def check_origin(event: Envelope[Any], topic: str) -> None:
    """Raises Misrouted unless `event`'s type travels on `topic` and its `source` is the type's
    producer. A topic the registry does not know binds nothing, so nothing is checked there (the
    kit's own tests use such topics; a service subscribes only to the registry's)."""
    if topic not in _PRODUCERS:
        return
    binding = BINDINGS[event.type]
    if binding.topic != topic:
        raise Misrouted(f"{event.type} travels on {binding.topic}, not on {topic}")
    if event.source != binding.source:
        raise Misrouted(
            f"{event.type} is produced by {binding.source}, not by {event.source[:80]!r}"
        )


def is_registered(topic: str) -> bool:
    return topic in _PRODUCERS


def producer_of(event: Envelope[Any]) -> str:
    """The producer the registry knows for `event`'s type: what inboxes scope event ids by."""
    binding = BINDINGS.get(event.type)
    return binding.source if binding else event.source
