"""The read API every service's kit serves for national operations (servicekit.ops_api): its
consumer's dead letters, what operators did with them, and what each replay became.

A dead letter's record (headers and payload) lives on the consumer's dead-letter topic, at
`dlq_partition`/`dlq_offset`; the portal reads it from there with the operations principal.
"""

from datetime import datetime
from typing import Literal

from contracts.api.base import ReadModel

SERVICE = "operations"
Resolution = Literal["replayed", "discarded", "dead_lettered_again"]


class DeadLetterActionView(ReadModel):
    action: Literal["replay", "discard"]
    operator: str
    replay_id: str | None
    reason: str | None
    at: datetime


class DeadLetterView(ReadModel):
    """GET /ops/dead-letters/{id} (with `actions`), and each row of the list (without)."""

    id: int
    consumer: str
    topic: str
    partition: int
    offset: int
    event_id: str | None
    event_type: str | None
    error_class: str
    reason: str
    attempts: int
    dead_lettered_at: datetime
    published_at: datetime | None
    dlq_topic: str
    dlq_partition: int | None
    dlq_offset: int | None
    replay_of: int | None
    resolution: Resolution | None
    resolved_at: datetime | None
    resolved_by: str | None
    resolution_reason: str | None
    actions: list[DeadLetterActionView] = []


class DeadLettersView(ReadModel):
    """GET /ops/dead-letters: newest first, filtered by state, topic, error class, event type."""

    consumer: str
    open: int
    dead_letters: list[DeadLetterView]


class ReplayOrderView(ReadModel):
    """One dead letter to publish again: where its record is, and the replay's headers."""

    dead_letter_id: int
    consumer: str
    replay_id: str
    dlq_topic: str
    dlq_partition: int
    dlq_offset: int
    topic: str
    partition: int
    prior_attempts: int


class ReplayRequestedView(ReadModel):
    """POST /ops/dead-letters/replays: the orders, and the ids that cannot be replayed (why)."""

    batch: str
    orders: list[ReplayOrderView]
    refused: dict[int, str]


class DiscardedView(ReadModel):
    """POST /ops/dead-letters/discard: the ids discarded now and those refused (why)."""

    discarded: list[int]
    refused: dict[int, str]


class ReplayOutcomeView(ReadModel):
    replay_id: str
    consumer: str
    event_id: str | None
    outcome: Literal["applied", "duplicate", "dead_lettered"]
    topic: str
    partition: int
    offset: int
    attempts: int | None
    dead_letter_id: int | None
    at: datetime


class ReplayOutcomesView(ReadModel):
    """GET /ops/replays/{batch}: what each of this service's consumers did with the batch."""

    batch: str
    outcomes: list[ReplayOutcomeView]


class StuckCaseView(ReadModel):
    person_id: str
    reference: str
    since: datetime
    detail: str


class StuckListView(ReadModel):
    name: str
    title: str
    threshold: int
    unit: Literal["minutes", "days"]
    more: bool
    """More are stuck than the oldest shown."""
    cases: list[StuckCaseView]


class StuckCasesView(ReadModel):
    """GET /ops/stuck?<list name>=<threshold>...: the service's lists given a threshold."""

    service: str
    lists: list[StuckListView]


class JourneyEventView(ReadModel):
    """An event this service produced (its outbox)."""

    event_id: str
    type: str
    topic: str
    subject: str
    correlationid: str | None
    causationid: str | None
    created_at: datetime
    published_at: datetime | None
    traceparent: str | None = None


class JourneyConsumedView(ReadModel):
    """An event one of this service's consumers applied (its inbox) or dead-lettered."""

    consumer: str
    event_id: str
    at: datetime
    outcome: Literal["applied", "dead_lettered"]
    dead_letter_id: int | None = None


class JourneyView(ReadModel):
    """GET /ops/journey?person=…|correlation=…&event=…: what this service produced about the
    person or flow, and which of the `event` ids (and its own) its consumers applied."""

    service: str
    produced: list[JourneyEventView]
    consumed: list[JourneyConsumedView]


class FlowSeriesView(ReadModel):
    """Messages per minute over the last hour, oldest minute first (60 figures)."""

    topic: str | None = None
    consumer: str | None = None
    source: str | None = None
    per_minute: list[int]


class DuplicatesView(ReadModel):
    consumer: str
    topic: str
    duplicates: int
    last_seen_at: datetime


class FlowsView(ReadModel):
    """GET /ops/flows: what this service published and consumed per minute in the last hour,
    the duplicates its inbox absorbed, its open dead letters per consumer, its relay."""

    service: str
    published: list[FlowSeriesView]
    consumed: list[FlowSeriesView]
    duplicates: list[DuplicatesView]
    dead_letters_open: dict[str, int]
    relay_leader: bool
    outbox_pending: int
    outbox_oldest_pending_seconds: float


READ_MODELS = [
    FlowsView,
    JourneyView,
    StuckCasesView,
    DeadLettersView,
    DeadLetterView,
    ReplayRequestedView,
    DiscardedView,
    ReplayOutcomesView,
]
