"""Messages' domain events as published contracts (the only module knowing both).

Every event is about a person (`subject`, the Kafka key) and belongs to the flow of the business
event the message is about: that event is its cause and lends it its correlation id.
"""

from typing import Any

from contracts.envelope import Envelope
from contracts.notifications import v1
from servicekit.context import caused_by
from servicekit.events import new_event

from notifications.domain.messages import Message, MessageDelivered, MessageFailed, MessageSent


def _contract(message: Message, event: object) -> tuple[type[Envelope[Any]], Any] | None:
    nid, channel = str(message.notification_id), message.channel.value
    if isinstance(event, MessageSent):
        return v1.NotificationSentV1, v1.NotificationSent(
            notification_id=nid,
            template_id=message.template_id,
            template_version=message.template_version,
            channel=channel,
            business_event_id=message.business_event_id,
        )
    if isinstance(event, MessageDelivered):
        return v1.NotificationDeliveredV1, v1.NotificationDelivered(
            notification_id=nid, channel=channel
        )
    if isinstance(event, MessageFailed):
        return v1.NotificationFailedV1, v1.NotificationFailed(
            notification_id=nid, channel=channel, reason=event.reason, permanent=event.permanent
        )
    return None


def published_events(message: Message) -> list[Envelope[Any]]:
    """The message's pending domain events as envelopes, in order."""
    envelopes = []
    with caused_by(message.business_event_id, message.correlation_id):
        for event in message.events:
            mapped = _contract(message, event)
            if mapped is not None:
                cls, data = mapped
                envelopes.append(
                    new_event(cls, source=v1.SOURCE, subject=message.person_id, data=data)
                )
    return envelopes
