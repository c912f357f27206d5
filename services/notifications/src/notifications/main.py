"""Composition root: `uvicorn --factory notifications.main:create_app`."""

from collections.abc import Callable, Mapping, Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from contracts.assessment.v1 import AssessmentSubmittedV1
from servicekit.service import Runtime, ServiceDefinition, create_service_app

from contracts import topics as kafka_topics
from notifications.adapters.metrics import Metrics
from notifications.adapters.notify import NotifyClient
from notifications.adapters.repository import NotificationsUnitOfWork
from notifications.adapters.smtp import SmtpEmail
from notifications.config import NotificationsSettings
from notifications.domain.channels import Channel
from notifications.entrypoints import callbacks, http, ops, preferences
from notifications.service_layer import handlers
from notifications.service_layer.intent import Deps
from notifications.service_layer.ports import ChannelSender
from notifications.service_layer.sender import Sender
from notifications.template_loader import load_templates

MIGRATIONS = Path(__file__).parent / "migrations"
CONSUMES = (kafka_topics.ASSESSMENT_EVENTS.name, kafka_topics.PAYMENTS_EVENTS.name,
            kafka_topics.CARE_PLANS_EVENTS.name)


def create_app(settings: NotificationsSettings | None = None, *,
               topics: Sequence[str] = CONSUMES,
               clock: Callable[[], datetime] | None = None) -> Any:
    """`topics` and `clock` exist for tests (their own topics; time they can move on)."""
    settings = settings or NotificationsSettings()
    clock = clock or (lambda: datetime.now(UTC))
    metrics = Metrics()
    notify = NotifyClient(settings.notify_base_url, settings.notify_api_key.get_secret_value(),
                          timeout=settings.notify_timeout_s,
                          template_ids=settings.notify_template_ids)
    sender = Sender(channels(settings, notify), policy=settings.retry_policy(), clock=clock,
                    metrics=metrics, batch_size=settings.sender_batch_size,
                    lease=timedelta(seconds=settings.claim_lease_s),
                    send_timeout=settings.send_timeout_s,
                    poll_interval=settings.sender_poll_interval_ms / 1000)
    deps = Deps(load_templates(), clock, metrics, sender.wake)
    consumers = {event: handlers.SPECIAL.get(event, handlers.notify)
                 for event in {*handlers.MESSAGE_FOR, *handlers.SPECIAL}}

    async def send_messages(runtime: Runtime) -> None:
        try:
            await sender.run(runtime)
        finally:
            await notify.aclose()

    definition = ServiceDefinition(
        name="notifications", title="Care Benefit — notifications", migrations=MIGRATIONS,
        make_uow=NotificationsUnitOfWork, consumes=list(topics),
        routers=[http.router, preferences.router, callbacks.router, ops.router],
        handlers={AssessmentSubmittedV1: handlers.remember_name, **consumers},
        background=[send_messages] if settings.sender_enabled else [],
        make_deps=lambda runtime: deps,
    )
    state = {"clock": clock, "metrics": metrics, "sender": sender, "deps": deps}
    return create_service_app(definition, settings, state)


def channels(settings: NotificationsSettings,
             notify: NotifyClient) -> Mapping[Channel, ChannelSender]:
    """Email goes over SMTP; text messages and letters through Notify."""
    password = settings.smtp_password.get_secret_value() if settings.smtp_password else None
    email = SmtpEmail(settings.smtp_host, settings.smtp_port, mail_from=settings.mail_from,
                      message_id_domain=settings.message_id_domain,
                      timeout=settings.smtp_timeout_s, starttls=settings.smtp_starttls,
                      username=settings.smtp_username, password=password)
    return {Channel.EMAIL: email, Channel.SMS: notify, Channel.LETTER: notify}
