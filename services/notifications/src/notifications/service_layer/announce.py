"""The public events: a message was sent, was delivered, or failed (for now or for good)."""

from contracts.notifications import v1
from servicekit.events import new_event
from servicekit.uow import UnitOfWork


def sent(uow: UnitOfWork, person_id: str, notification_id: str, channel: str, template_id: str,
         template_version: int, business_event_id: str) -> None:
    uow.emit(new_event(v1.NotificationSentV1, source=v1.SOURCE, subject=person_id,
                       data=v1.NotificationSent(
                           notification_id=notification_id, template_id=template_id,
                           template_version=template_version, channel=channel,
                           business_event_id=business_event_id)))


def delivered(uow: UnitOfWork, person_id: str, notification_id: str, channel: str) -> None:
    uow.emit(new_event(v1.NotificationDeliveredV1, source=v1.SOURCE, subject=person_id,
                       data=v1.NotificationDelivered(notification_id=notification_id,
                                                     channel=channel)))


def failed(uow: UnitOfWork, person_id: str, notification_id: str, channel: str, reason: str,
           permanent: bool) -> None:
    uow.emit(new_event(v1.NotificationFailedV1, source=v1.SOURCE, subject=person_id,
                       data=v1.NotificationFailed(notification_id=notification_id,
                                                  channel=channel, reason=reason,
                                                  permanent=permanent)))
