"""Events the notifications service publishes on `notifications.events` (version 1)."""

from typing import Annotated, Literal

from pydantic import Field

from contracts.envelope import Envelope, Payload, event_type_name

SOURCE = "/services/notifications"
Channel = Literal["inbox", "email", "sms", "letter"]


def _type(name: str) -> str:
    return event_type_name("notifications", name, 1)


class NotificationSent(Payload):
    notification_id: str
    template_id: str
    template_version: int
    channel: Channel
    business_event_id: str


class NotificationDelivered(Payload):
    notification_id: str
    channel: Channel


class NotificationFailed(Payload):
    notification_id: str
    channel: Channel
    reason: str
    permanent: bool


class NotificationSentV1(Envelope[NotificationSent]):
    type: Literal["uk.gov.carebenefit.notifications.notification_sent.v1"] = _type(
        "notification_sent"
    )


class NotificationDeliveredV1(Envelope[NotificationDelivered]):
    type: Literal["uk.gov.carebenefit.notifications.notification_delivered.v1"] = _type(
        "notification_delivered"
    )


class NotificationFailedV1(Envelope[NotificationFailed]):
    type: Literal["uk.gov.carebenefit.notifications.notification_failed.v1"] = _type(
        "notification_failed"
    )


EVENTS = (NotificationSentV1, NotificationDeliveredV1, NotificationFailedV1)

NotificationsEvent = Annotated[
    NotificationSentV1 | NotificationDeliveredV1 | NotificationFailedV1,
    Field(discriminator="type"),
]
