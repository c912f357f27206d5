"""The one wiring place: `uvicorn --factory notifications.main:create_app`."""

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from servicekit.auth import validator_from_settings
from servicekit.service import Runtime, ServiceDefinition, create_service_app

from contracts import topics
from notifications.adapters import stuck
from notifications.adapters.metrics import Metrics
from notifications.adapters.notify import NotifyClient
from notifications.adapters.repository import NotificationsUnitOfWork
from notifications.adapters.smtp import SmtpEmail
from notifications.adapters.templates import load_templates
from notifications.config import NotificationsSettings
from notifications.domain.channels import Channel
from notifications.domain.templates import Template
from notifications.entrypoints import background, callbacks, errors, events, http, ops
from notifications.entrypoints.dependencies import Dependencies
from notifications.service_layer.outcomes import Outcomes
from notifications.service_layer.ports import Clock
from notifications.service_layer.reconciling import Reconciler
from notifications.service_layer.sending import Sender
from notifications.service_layer.telling import Telling

MIGRATIONS = Path(__file__).parent / "migrations"
CONSUMES = [
    topics.ASSESSMENT_EVENTS.name,
    topics.PAYMENTS_EVENTS.name,
    topics.CARE_PLANS_EVENTS.name,
]


def utc_now() -> datetime:
    return datetime.now(UTC)


def create_app(settings: NotificationsSettings | None = None, clock: Clock = utc_now) -> Any:
    settings = settings or NotificationsSettings()
    templates = load_templates()
    definition = ServiceDefinition(
        name="notifications",
        title="Care Benefit — notifications",
        migrations=MIGRATIONS,
        stuck=stuck.STUCK,
        make_uow=lambda pool: NotificationsUnitOfWork(pool, read_ahead=events.read_ahead),
        routers=[http.router, callbacks.router, ops.router],
        consumes=CONSUMES if settings.consumer_enabled else [],
        handlers=events.HANDLERS,
        error_statuses=errors.HTTP_STATUS,
        unprocessable=errors.UNPROCESSABLE,
        make_deps=lambda runtime: make_deps(runtime, settings, templates, clock),
        background=(
            [background.send_messages, background.reconcile_deliveries]
            if settings.sender_enabled
            else []
        ),
    )
    # Bearer tokens are checked where a route declares its need (servicekit.auth.require).
    auth = {"token_validator": validator_from_settings(settings)} if settings.auth_issuer else {}
    return create_service_app(definition, settings, state=auth)


def make_deps(
    runtime: Runtime,
    settings: NotificationsSettings,
    templates: dict[str, Template],
    clock: Clock,
) -> Dependencies:
    metrics, wakeup = Metrics(runtime.metrics.registry), background.Wakeup()
    notify = NotifyClient(
        settings.notify_base_url,
        settings.notify_api_key.get_secret_value(),
        timeout=settings.notify_timeout_s,
        template_ids=settings.notify_template_ids,
    )
    outcomes = Outcomes(settings.retry_policy(), clock, metrics)
    lease = settings.claim_lease_s
    sender = Sender(
        {Channel.EMAIL: smtp(settings), Channel.SMS: notify, Channel.LETTER: notify},
        outcomes,
        batch_size=settings.sender_batch_size,
        lease=timedelta(seconds=lease),
        renew_every=lease / 3,
        send_timeout=settings.send_timeout_s,
    )
    reconciler = Reconciler(
        notify,
        outcomes,
        ask_after=timedelta(seconds=settings.reconcile_after_s),
        ask_every=timedelta(seconds=settings.reconcile_every_s),
        flag_after=timedelta(seconds=settings.unconfirmed_after_s),
        batch_size=settings.reconcile_batch_size,
    )
    deps = Dependencies(
        uow=runtime.uow,
        clock=clock,
        metrics=metrics,
        telling=Telling(templates, clock, metrics, wakeup.set),
        outcomes=outcomes,
        sender=sender,
        reconciler=reconciler,
        callback_token=settings.notify_callback_token.get_secret_value(),
        wakeup=wakeup,
        poll_interval=settings.sender_poll_interval_ms / 1000,
        reconcile_interval=settings.reconcile_poll_s,
        close=notify.aclose,
    )
    runtime.metrics.on_scrape(ops.metrics_figures(deps))
    return deps


def smtp(settings: NotificationsSettings) -> SmtpEmail:
    """Email goes over SMTP; text messages and letters through Notify."""
    password = settings.smtp_password.get_secret_value() if settings.smtp_password else None
    return SmtpEmail(
        settings.smtp_host,
        settings.smtp_port,
        mail_from=settings.mail_from,
        message_id_domain=settings.message_id_domain,
        timeout=settings.smtp_timeout_s,
        starttls=settings.smtp_starttls,
        username=settings.smtp_username,
        password=password,
    )
