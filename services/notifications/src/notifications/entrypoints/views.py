"""Domain objects -> the read models in contracts.api.notifications (the only place that maps)."""

from contracts.api import notifications as api

from notifications.domain.figures import Timeliness
from notifications.domain.messages import Message
from notifications.domain.preferences import ContactGap, Preferences, shown_channels
from notifications.service_layer.queries import Listing


def inbox_view(person_id: str, messages: list[Message], alongside: list[Message]) -> api.InboxView:
    return api.InboxView(
        person_id=person_id, messages=[inbox_message_view(m, alongside) for m in messages]
    )


def inbox_message_view(m: Message, alongside: list[Message]) -> api.InboxMessageView:
    """An inbox message with the copies of it (same event and template) on other channels."""
    copies = [
        api.DeliveryView(channel=c.channel.value, status=c.status.value, updated_at=c.updated_at)
        for c in alongside
        if (c.business_event_id, c.template_id) == (m.business_event_id, m.template_id)
    ]
    return api.InboxMessageView(
        notification_id=str(m.notification_id),
        template_id=m.template_id,
        subject=m.subject,
        body=m.body or "",
        created_at=m.created_at,
        read=m.read_at is not None,
        deliveries=copies,
    )


def preferences_view(preferences: Preferences) -> api.PreferencesView:
    return api.PreferencesView(
        person_id=preferences.person_id,
        channels=[c.value for c in shown_channels(preferences)],
        email=preferences.email,
        phone=preferences.phone,
        address_lines=list(preferences.address_lines),
        postcode=preferences.postcode,
        accessible_format=preferences.accessible_format.value,
    )


def timeliness_view(figures: Timeliness) -> api.TimelinessView:
    return api.TimelinessView(
        messages_last_day=figures.messages,
        seconds=api.LagSecondsView(p50=figures.p50, p95=figures.p95, max=figures.max),
    )


def contact_gaps_view(gaps: Listing[ContactGap]) -> api.ContactGapsView:
    people = [
        api.ContactGapView(
            person_id=g.person_id,
            reason=g.reason,
            last_event_id=g.last_event_id,
            messages_affected=g.messages_affected,
            first_seen=g.first_seen,
            last_seen=g.last_seen,
        )
        for g in gaps.items
    ]
    return api.ContactGapsView(count=gaps.count, people=people)


def _about(m: Message) -> dict[str, object]:
    return {
        "notification_id": str(m.notification_id),
        "person_id": m.person_id,
        "business_event_id": m.business_event_id,
        "template_id": m.template_id,
        "channel": m.channel.value,
        "attempts": m.attempts,
    }


def failed_messages_view(failed: Listing[Message]) -> api.FailedMessagesView:
    messages = [
        api.FailedMessageView(**_about(m), reason=m.reason, updated_at=m.updated_at)
        for m in failed.items
    ]
    return api.FailedMessagesView(count=failed.count, messages=messages)


def unconfirmed_messages_view(unconfirmed: Listing[Message]) -> api.UnconfirmedMessagesView:
    messages = [
        api.UnconfirmedMessageView(
            **_about(m),
            accepted_at=m.accepted_at,
            checked_at=m.checked_at,
            unconfirmed_at=m.unconfirmed_at,
        )
        for m in unconfirmed.items
    ]
    return api.UnconfirmedMessagesView(count=unconfirmed.count, messages=messages)
