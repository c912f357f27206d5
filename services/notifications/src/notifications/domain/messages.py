"""One message on one channel: the recorded intent, each attempt, and what the provider said.

A `Message` is the aggregate the service keeps: one per (business event, template, channel),
keyed by `notification_key`. Its delivery state moves only as `Delivery` allows; the public facts
(sent, delivered, failed) are recorded in `events` and published by the unit of work on commit.
"""

import re
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime

from notifications.domain.channels import AccessibleFormat, Channel
from notifications.domain.delivery import (
    DEFAULT_POLICY,
    FINAL,
    Delivery,
    DeliveryStatus,
    RetryPolicy,
)
from notifications.domain.errors import UnknownMessage
from notifications.domain.keys import notification_key
from notifications.domain.preferences import ChannelChoice, ChannelPlan
from notifications.domain.rendering import (
    InvalidPersonalisation,
    MessageTooLong,
    MissingPersonalisation,
    render,
)
from notifications.domain.templates import Template

UNRENDERABLE = (MissingPersonalisation, InvalidPersonalisation, MessageTooLong)
UNCERTAIN = "outcome unknown"
_EMAIL = re.compile(r"[^\s<>@]+@[^\s<>@]+")
_PHONE = re.compile(r"\+?\d[\d\s-]{8,}\d")


def redact(reason: str | None) -> str | None:
    """Providers echo addresses back ("550 <jo@example.com> unknown"): keep them out of events."""
    if reason is None:
        return None
    return _PHONE.sub("<number>", _EMAIL.sub("<address>", reason))[:500]


@dataclass(frozen=True)
class MessageSent:
    """The inbox copy was written, or the SMTP relay or Notify accepted the message."""


@dataclass(frozen=True)
class MessageDelivered:
    pass


@dataclass(frozen=True)
class MessageFailed:
    reason: str
    permanent: bool


@dataclass(frozen=True)
class Origin:
    """The business event a message is about, and the flow it belongs to."""

    person_id: str
    business_event_id: str
    source_event_time: datetime
    correlation_id: str | None = None
    traceparent: str | None = None


@dataclass(frozen=True)
class Report:
    """What we learnt about an attempt: our own send result, a receipt, or Notify's answer.

    `status` is SENDING or DELIVERED when the provider `accepted` it, else a failure. `attempt`
    says which attempt it is about, when known."""

    status: DeliveryStatus
    reason: str | None = None
    provider_id: str | None = None
    accepted: bool = False
    attempt: int | None = None


@dataclass(frozen=True)
class Change:
    """What a report changed: the provider newly accepted it; the status it moved to."""

    accepted: bool = False
    status: DeliveryStatus | None = None


@dataclass(eq=True)
class Message:
    notification_id: uuid.UUID  # also Notify's `reference` and the SMTP Message-ID
    person_id: str
    business_event_id: str
    template_id: str
    template_version: int
    channel: Channel
    status: DeliveryStatus
    source_event_time: datetime
    created_at: datetime
    updated_at: datetime
    recipient: str | None = None  # normalised email, mobile or address; None for the inbox
    accessible_format: AccessibleFormat = AccessibleFormat.NONE  # the variant actually used
    subject: str | None = None
    body: str | None = None  # None when it could not be rendered
    personalisation: Mapping[str, str] | None = None  # what Notify fills the template with
    attempts: int = 0
    next_attempt_at: datetime | None = None
    reason: str | None = None
    claimed_until: datetime | None = None  # a sender's lease on the attempt in progress
    handed_over_at: datetime | None = None  # the point of no return of the attempt was passed
    accepted_at: datetime | None = None  # the provider (SMTP relay, Notify) took this attempt
    provider_ids: dict[str, int] = field(default_factory=dict)  # Notify id -> our attempt
    checked_at: datetime | None = None  # when Notify was last asked for its status
    unconfirmed_at: datetime | None = None  # flagged: no final status from Notify in time
    correlation_id: str | None = None
    traceparent: str | None = None
    read_at: datetime | None = None  # inbox only: when the person first opened it
    events: list[object] = field(default_factory=list, compare=False, repr=False)

    @property
    def is_final(self) -> bool:
        return self.status in FINAL

    @property
    def latest_provider_id(self) -> str | None:
        """Notify's id for our latest accepted attempt."""
        return max(self.provider_ids, key=self.provider_ids.__getitem__, default=None)

    def delivery(self, policy: RetryPolicy = DEFAULT_POLICY) -> Delivery:
        return Delivery(
            key=str(self.notification_id),
            channel=self.channel,
            status=self.status,
            attempts=self.attempts,
            next_attempt_at=self.next_attempt_at,
            reason=self.reason,
            updated_at=self.updated_at,
            policy=policy,
        )

    def mark_read(self, now: datetime) -> bool:
        """The person opened this inbox message; False if they had before (nothing changes)."""
        if self.channel is not Channel.INBOX:
            raise UnknownMessage()
        if self.read_at is not None:
            return False
        self.read_at = now
        return True

    def start_attempt(self, now: datetime, lease_until: datetime) -> None:
        """Claimed by a sender: counted, leased, before any network call."""
        self._move(self.delivery().start_attempt(now))
        self.claimed_until, self.handed_over_at = lease_until, None
        self.accepted_at = self.checked_at = self.unconfirmed_at = None

    def report(
        self, report: Report, now: datetime, policy: RetryPolicy, jitter: float = 0.0
    ) -> Change:
        """Apply a report; a repeated or stale one changes nothing and announces nothing.

        Raises InvalidTransition for a report about an attempt that never started."""
        before = self.delivery(policy)
        after = before.report(
            report.status, now, attempt=report.attempt, reason=redact(report.reason), jitter=jitter
        )
        if report.provider_id and report.provider_id not in self.provider_ids:
            self.provider_ids[report.provider_id] = report.attempt or self.attempts
        accepted = report.accepted and self.accepted_at is None
        if accepted:
            self.accepted_at = now
            self.events.append(MessageSent())
        return Change(accepted, self._moved_to(after, before))

    def retry_at(self, when: datetime, now: datetime, reason: str, policy: RetryPolicy) -> Change:
        """The attempt was interrupted (its sender vanished): try again from `when`."""
        before = self.delivery(policy)
        return Change(False, self._moved_to(before.retry_at(when, now, reason), before))

    def lease(self, until: datetime) -> None:
        """Held by a sender (or the one recovering it) until then."""
        self.claimed_until = until

    def checked(self, now: datetime) -> None:
        self.checked_at = now

    def flag_unconfirmed(self, now: datetime) -> bool:
        """Operations must settle it: Notify has given no final status in time."""
        if self.is_final or self.unconfirmed_at is not None:
            return False
        self.unconfirmed_at = now
        return True

    def _moved_to(self, after: Delivery, before: Delivery) -> DeliveryStatus | None:
        if after is before:
            return None
        self._move(after)
        if after.status is before.status:
            return None
        if after.status is DeliveryStatus.DELIVERED:
            self.events.append(MessageDelivered())
        elif after.status in (DeliveryStatus.TEMPORARY_FAILURE, DeliveryStatus.PERMANENT_FAILURE):
            permanent = after.status is DeliveryStatus.PERMANENT_FAILURE
            self.events.append(MessageFailed(after.reason or "", permanent))
        return after.status

    def _move(self, delivery: Delivery) -> None:
        self.status, self.attempts = delivery.status, delivery.attempts
        self.next_attempt_at, self.reason = delivery.next_attempt_at, delivery.reason
        self.updated_at = delivery.updated_at or self.updated_at


def plan_messages(
    template: Template,
    personalisation: Mapping[str, str | None],
    choice: ChannelChoice,
    origin: Origin,
    now: datetime,
) -> list[Message]:
    """One message per channel chosen (the inbox first), then a failed one per channel skipped.

    The inbox copy is delivered by being written; the others wait for the sender. A copy that
    cannot be rendered, or a channel whose contact detail is unusable, is a permanent failure
    with the reason, so nothing is silently dropped."""
    planned = [_planned(plan, template, personalisation, origin, now) for plan in choice]
    skipped = [_failed(s.channel, s.reason, template, origin, now) for s in choice.skipped]
    return planned + skipped


def _planned(
    plan: ChannelPlan,
    template: Template,
    values: Mapping[str, str | None],
    origin: Origin,
    now: datetime,
) -> Message:
    key = notification_key(origin.business_event_id, template.id, plan.channel, plan.recipient)
    variant = template.variant(plan.channel, plan.accessible_format)
    try:
        rendered = render(template, plan.channel, values, plan.accessible_format)
    except UNRENDERABLE as exc:
        return _failed(plan.channel, str(exc), template, origin, now, key)
    if plan.channel is Channel.INBOX:
        message = _new(key, plan.channel, DeliveryStatus.DELIVERED, template, origin, now)
        message.events += [MessageSent(), MessageDelivered()]
    else:
        message = _new(key, plan.channel, DeliveryStatus.PENDING, template, origin, now)
        fields = {name: values[name] for name in variant.field_names()}
        message.recipient, message.next_attempt_at = plan.recipient, now
        message.personalisation = {**fields, **plan.address_personalisation()}
    message.accessible_format = variant.accessible_format
    message.subject, message.body = rendered.subject, rendered.body
    return message


def _failed(
    channel: Channel,
    reason: str,
    template: Template,
    origin: Origin,
    now: datetime,
    key: str | None = None,
) -> Message:
    key = key or notification_key(origin.business_event_id, template.id, channel, origin.person_id)
    message = _new(key, channel, DeliveryStatus.PERMANENT_FAILURE, template, origin, now)
    message.reason = reason
    message.events.append(MessageFailed(reason, permanent=True))
    return message


def _new(
    key: str,
    channel: Channel,
    status: DeliveryStatus,
    template: Template,
    origin: Origin,
    now: datetime,
) -> Message:
    return Message(
        notification_id=uuid.UUID(key),
        person_id=origin.person_id,
        business_event_id=origin.business_event_id,
        template_id=template.id,
        template_version=template.version,
        channel=channel,
        status=status,
        source_event_time=origin.source_event_time,
        created_at=now,
        updated_at=now,
        correlation_id=origin.correlation_id,
        traceparent=origin.traceparent,
    )
