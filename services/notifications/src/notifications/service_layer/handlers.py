"""Telling people what changed: one inbox message per business event, whatever the redeliveries."""

import uuid

from contracts.assessment.v1 import AssessmentSubmittedV1
from contracts.notifications import v1
from notifications.adapters.personalisation import MESSAGE_FOR
from notifications.domain.channels import Channel
from notifications.domain.keys import notification_key
from notifications.domain.rendering import render
from notifications.domain.templates import Template
from servicekit.events import new_event

FALLBACK_NAME = "Care Benefit customer"


async def remember_name(event: AssessmentSubmittedV1, uow) -> None:  # noqa: ANN001
    if event.data.first_name:
        await uow.messages.remember_name(event.subject, event.data.first_name)


async def notify(event, uow, templates: dict[str, Template]) -> None:  # noqa: ANN001
    first_name = await uow.messages.first_name(event.subject) or FALLBACK_NAME
    template_id, personalisation = MESSAGE_FOR[type(event)](event, first_name)
    template = templates[template_id]
    message = render(template, Channel.INBOX, personalisation)
    notification_id = uuid.UUID(notification_key(event.id, template_id, "inbox", event.subject))
    first_time = await uow.messages.record(
        notification_id=notification_id, person_id=event.subject, business_event_id=event.id,
        template_id=template.id, template_version=template.version, channel="inbox",
        subject=message.subject, body=message.body, status="delivered",
        source_event_time=event.time)
    if first_time:
        uow.emit(new_event(v1.NotificationSentV1, source=v1.SOURCE, subject=event.subject,
                           data=v1.NotificationSent(
                               notification_id=str(notification_id), template_id=template.id,
                               template_version=template.version, channel="inbox",
                               business_event_id=event.id)))
