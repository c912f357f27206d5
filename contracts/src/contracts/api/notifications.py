"""The notifications service's read API (built in its `entrypoints/views.py`).

The person's portal inbox and contact preferences (read by the portal's account page), and what
operations watch: timeliness, people we cannot reach, messages that failed for good, and
messages Notify accepted whose final status never came.
"""

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, Field

from contracts.api.base import ReadModel

SERVICE = "notifications"
Channel = Literal["inbox", "email", "sms", "letter"]
AccessibleFormat = Literal["none", "large_print", "easy_read", "braille", "audio"]


DeliveryStatus = Literal[
    "pending", "sending", "temporary_failure", "delivered", "permanent_failure"
]


class DeliveryView(ReadModel):
    """The same message sent by email, text message or letter, and how far it got."""

    channel: Channel
    status: DeliveryStatus
    updated_at: datetime


class InboxMessageView(ReadModel):
    notification_id: str
    template_id: str
    subject: str | None
    body: str
    created_at: datetime
    read: bool = Field(False, description="The person has opened it in the portal")
    deliveries: list[DeliveryView] = Field(
        default_factory=list, description="Its copies sent by email, text message or letter"
    )


class InboxView(ReadModel):
    """GET /people/{person_id}/messages: the person's portal inbox, newest first."""

    person_id: str
    messages: list[InboxMessageView]


class PreferencesView(ReadModel):
    """GET (and PUT) /people/{person_id}/preferences: `channels` always starts with the inbox."""

    person_id: str
    channels: list[Channel]
    email: str | None
    phone: str | None
    address_lines: list[str]
    postcode: str | None
    accessible_format: AccessibleFormat


class LagSecondsView(ReadModel):
    p50: float | None
    p95: float | None
    max: float | None


class TimelinessView(ReadModel):
    """GET /ops/timeliness: seconds from the source event to the inbox, over the last day."""

    messages_last_day: int
    seconds: LagSecondsView


class ContactGapView(ReadModel):
    person_id: str
    reason: str
    last_event_id: str
    messages_affected: int
    first_seen: datetime
    last_seen: datetime


class ContactGapsView(ReadModel):
    """GET /ops/contact-gaps: people only the portal inbox reached, or whose chosen channel was
    unusable, and why."""

    count: int
    people: list[ContactGapView]


class MessageAboutView(ReadModel):
    """Which message, about whom and what; never its contact details or content."""

    notification_id: str
    person_id: str
    business_event_id: str
    template_id: str
    channel: Channel
    attempts: int


class FailedMessageView(MessageAboutView):
    reason: str | None
    updated_at: datetime


class FailedMessagesView(ReadModel):
    """GET /ops/failed-messages: messages that will not be sent (again) by themselves, newest
    first; no contact details."""

    count: int
    messages: list[FailedMessageView]


class UnconfirmedMessageView(MessageAboutView):
    accepted_at: datetime
    checked_at: datetime | None
    unconfirmed_at: datetime


class UnconfirmedMessagesView(ReadModel):
    """GET /ops/unconfirmed-messages: accepted by Notify, no final status in time (so neither
    delivered nor failed); oldest first, for operations to settle. No contact details."""

    count: int
    messages: list[UnconfirmedMessageView]


READ_MODELS: tuple[type[BaseModel], ...] = (
    InboxView,
    InboxMessageView,
    PreferencesView,
    TimelinessView,
    ContactGapsView,
    FailedMessagesView,
    UnconfirmedMessagesView,
)
