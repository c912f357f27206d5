"""What the use cases need from the outside world, as Protocols the adapters implement.

The unit of work and its repositories (PostgreSQL in production, fakes in the unit tests), the
channels that send a message (SMTP, Notify), Notify's status look-up, and the measurements.
"""

import uuid
from collections.abc import Awaitable, Callable, Collection, Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol, Self

from notifications.domain.channels import Channel
from notifications.domain.delivery import DeliveryStatus
from notifications.domain.figures import Backlog, Timeliness
from notifications.domain.messages import UNCERTAIN, Message, Report
from notifications.domain.notices import DecisionFacts, Reconsideration
from notifications.domain.preferences import ContactGap, Preferences


@dataclass(frozen=True)
class ReadAhead:
    """What a batch of events will ask the repositories about, to be read in one go."""

    people: frozenset[str] = frozenset()
    business_event_ids: frozenset[str] = frozenset()
    decision_ids: frozenset[str] = frozenset()


class MessageRepository(Protocol):
    """Every message it hands out or stores is tracked by the unit of work (its events publish
    on commit)."""

    async def add(self, message: Message) -> bool:
        """Store a new message; False (and nothing stored) when its key is already there."""

    async def get(self, notification_id: uuid.UUID, *, lock: bool = False) -> Message | None: ...

    async def get_many(self, notification_ids: Iterable[uuid.UUID]) -> list[Message]:
        """Those of these messages that exist, locked, in the order of their ids (so two
        transactions locking some of the same messages never wait for each other in a cycle)."""

    async def save(self, message: Message) -> None: ...

    async def claim_due(self, now: datetime, limit: int) -> list[Message]:
        """Off-portal messages due an attempt, locked; other senders skip them."""

    async def interrupted(self, now: datetime, limit: int) -> list[Message]:
        """Attempts whose lease ran out before the outcome was recorded (a sender died), locked."""

    async def hand_over(self, notification_id: uuid.UUID, attempt: int, now: datetime) -> bool:
        """Mark the point of no return, only while this attempt still holds a live lease."""

    async def hand_over_many(
        self, claims: Collection[tuple[uuid.UUID, int]], now: datetime
    ) -> set[uuid.UUID]:
        """`hand_over` for each (message, attempt) claim at once: the messages marked."""

    async def renew(
        self, claims: Iterable[tuple[uuid.UUID, int]], until: datetime, now: datetime
    ) -> int:
        """Extend the live leases of these (message, attempt) claims; how many were extended."""

    async def to_check(
        self,
        *,
        accepted_before: datetime,
        checked_before: datetime,
        kept_since: datetime,
        now: datetime,
        limit: int,
    ) -> list[Message]:
        """Accepted, not final, accepted before `accepted_before`, not asked about since
        `checked_before`: marked checked at `now` (so replicas share them out), not locked."""

    async def inbox(self, person_id: str) -> list[Message]: ...

    async def sent_alongside(self, person_id: str) -> list[Message]:
        """The person's messages on the other channels, oldest first."""
        ...

    async def failed(self, limit: int) -> tuple[int, list[Message]]: ...

    async def unconfirmed(self, limit: int) -> tuple[int, list[Message]]: ...

    async def timeliness(self, since: datetime) -> Timeliness: ...

    async def backlog(self) -> list[Backlog]: ...


class PeopleRepository(Protocol):
    async def remember(
        self, person_id: str, *, first_name: str | None = None, case_id: str | None = None
    ) -> None: ...

    async def known(self, person_id: str) -> tuple[str | None, str | None]:
        """(first name, case id), each None until an event has told us."""

    async def preferences(self, person_id: str) -> Preferences | None:
        """None until the person (or staff for them) has set any."""

    async def save_preferences(self, preferences: Preferences, now: datetime) -> None: ...

    async def remember_decision(
        self, person_id: str, facts: DecisionFacts, kind: str | None
    ) -> None: ...

    async def decision(self, decision_id: str) -> DecisionFacts | None: ...

    async def add_reconsideration(self, reconsideration: Reconsideration) -> None: ...

    async def waiting_reconsideration(self, new_decision_id: str) -> Reconsideration | None:
        """A reconsideration outcome not yet told, waiting for (or having) this new decision."""

    async def reconsideration_told(self, event_id: str, now: datetime) -> None: ...

    async def flag_contact_gap(
        self, person_id: str, reason: str, event_id: str, now: datetime
    ) -> None: ...

    async def clear_contact_gap(self, person_id: str) -> None: ...

    async def contact_gaps(self, limit: int) -> tuple[int, list[ContactGap]]: ...


class NotificationsUnitOfWork(Protocol):
    messages: MessageRepository
    people: PeopleRepository

    async def __aenter__(self) -> Self: ...

    async def __aexit__(self, *exc: object) -> None: ...

    async def commit(self) -> None: ...

    def after_commit(self, callback: Callable[[], Awaitable[None] | None]) -> None: ...


UowFactory = Callable[[], NotificationsUnitOfWork]
Clock = Callable[[], datetime]


@dataclass(frozen=True)
class Outgoing:
    """What a channel adapter sends: one attempt at one message."""

    notification_id: uuid.UUID  # also Notify's `reference` and the SMTP Message-ID
    channel: Channel
    recipient: str
    template_id: str
    accessible_format: str
    subject: str | None
    body: str | None
    personalisation: Mapping[str, Any]
    attempt: int  # 1 for the first attempt

    @property
    def may_have_been_sent_before(self) -> bool:
        """An earlier attempt happened: its outcome may be unknown, so check before sending."""
        return self.attempt > 1


@dataclass(frozen=True)
class SendResult:
    """`status` is SENDING or DELIVERED when the provider `accepted` it, else a failure.

    A temporary failure means the provider certainly did not take the message, so it is safe to
    try again. When that is not certain, the adapter must say so with a permanent failure whose
    reason starts with UNCERTAIN: it is then never sent again automatically.
    """

    status: DeliveryStatus
    reason: str | None = None
    provider_id: str | None = None
    accepted: bool = False

    @classmethod
    def accepted_as(cls, status: DeliveryStatus, provider_id: str | None = None) -> "SendResult":
        return cls(status, None, provider_id, accepted=True)

    @classmethod
    def temporary(cls, reason: str) -> "SendResult":
        return cls(DeliveryStatus.TEMPORARY_FAILURE, reason)

    @classmethod
    def permanent(cls, reason: str) -> "SendResult":
        return cls(DeliveryStatus.PERMANENT_FAILURE, reason)

    @classmethod
    def uncertain(cls, reason: str) -> "SendResult":
        return cls(DeliveryStatus.PERMANENT_FAILURE, f"{UNCERTAIN}: {reason}")

    def report(self, attempt: int) -> Report:
        return Report(self.status, self.reason, self.provider_id, self.accepted, attempt)


HandedOver = Callable[[], Awaitable[bool]]
"""Called by an adapter just before the point of no return; False means stop: the attempt lost
its lease (another sender may take it over) and must not be sent."""


class LookupFailed(Exception):
    """The provider could not be asked (down, timed out, refused us)."""


class ChannelSender(Protocol):
    async def send(self, message: Outgoing, handed_over: HandedOver) -> SendResult: ...

    async def find(self, message: Outgoing) -> SendResult | None:
        """The provider's live copy of this message (accepted), or None when it has none or
        cannot be asked (SMTP). Raises LookupFailed when asking failed."""


class ProviderStatuses(Protocol):
    async def status_of(self, provider_id: str) -> str | None:
        """Notify's status name for its notification, None when it has no such notification.
        Raises LookupFailed when asking failed."""


class Measurements(Protocol):
    def changed(self, channel: str, status: str) -> None: ...

    def reached_inbox(self, seconds: float) -> None: ...

    def reached_provider(self, channel: str, seconds: float) -> None: ...

    def update(self, backlog: list[Backlog], unconfirmed: int, contact_gaps: int) -> None:
        """The figures read from the database, set when /metrics is scraped."""
