"""Which events travel on which topic, and how to read one off the wire."""

from typing import Any

from pydantic import TypeAdapter, ValidationError

from contracts import topics
from contracts.assessment import v1 as assessment_v1
from contracts.benefits import v1 as benefits_v1
from contracts.care_plans import v1 as care_plans_v1
from contracts.envelope import Envelope
from contracts.notifications import v1 as notifications_v1
from contracts.payments import v1 as payments_v1

EVENTS_BY_TOPIC: dict[str, tuple[type[Envelope[Any]], ...]] = {
    topics.ASSESSMENT_EVENTS.name: assessment_v1.EVENTS,
    topics.PAYMENTS_EVENTS.name: payments_v1.EVENTS,
    topics.CARE_PLANS_EVENTS.name: care_plans_v1.EVENTS,
    topics.NOTIFICATIONS_EVENTS.name: notifications_v1.EVENTS,
    topics.BENEFITS_UC_CLAIMS.name: benefits_v1.EVENTS,
}

EVENT_CLASSES: dict[str, type[Envelope[Any]]] = {
    cls.event_type(): cls for events in EVENTS_BY_TOPIC.values() for cls in events
}
TOPIC_OF_TYPE: dict[str, str] = {
    cls.event_type(): topic for topic, events in EVENTS_BY_TOPIC.items() for cls in events
}


class MalformedEvent(ValueError):
    """The bytes are not a valid event of a known type; `reason` says what is wrong."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class UnknownEventType(MalformedEvent):
    """A well-formed envelope whose type this reader does not know (a tolerant reader skips it)."""


_ENVELOPE_HEAD = TypeAdapter(dict[str, Any])


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
