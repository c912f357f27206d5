"""What callers ask the service to do: imperative, immutable, no HTTP or contract classes."""

import uuid
from dataclasses import dataclass

from notifications.domain.messages import Origin
from notifications.domain.notices import DecisionFacts, DecisionNotice, Notice, Reconsideration


@dataclass(frozen=True)
class RememberPerson:
    person_id: str
    first_name: str | None = None
    case_id: str | None = None


@dataclass(frozen=True)
class TellPerson:
    """Tell the person `notice`, on every channel they use, once for this business event."""

    origin: Origin
    notice: Notice


@dataclass(frozen=True)
class RecordDecision:
    """Keep what the reconsideration notice may need; tell the person, unless a reconsideration's
    outcome is to tell them instead."""

    origin: Origin
    facts: DecisionFacts
    kind: str | None
    notice: DecisionNotice


@dataclass(frozen=True)
class RecordReconsideration:
    reconsideration: Reconsideration


@dataclass(frozen=True)
class SetPreferences:
    person_id: str
    channels: tuple[str, ...]
    email: str | None
    phone: str | None
    address_lines: tuple[str, ...]
    postcode: str | None
    accessible_format: str


@dataclass(frozen=True)
class ApplyReceipt:
    """Notify's delivery receipt: its id for the notification, our reference, its status."""

    reference: uuid.UUID
    provider_id: str
    status: str


@dataclass(frozen=True)
class MarkMessageRead:
    """The person opened a message in their portal inbox."""

    person_id: str
    notification_id: str
