"""Settings from the environment (NOTIFICATIONS_...); dev secrets are refused in production."""

from datetime import timedelta

from pydantic import Field, SecretStr, model_validator
from pydantic_settings import SettingsConfigDict
from servicekit.settings import ServiceSettings

from notifications.domain.delivery import RetryPolicy

NOTIFY_KEEPS_S = 7 * 86400.0  # Notify answers about a notification for 7 days
DEV_CALLBACK_TOKEN = "dev-notify-callback-token"  # noqa: S105 (the development default; production refuses it)
# Notify's key shape: <name>-<service id>-<secret>. This one only works against the local stub.
DEV_NOTIFY_KEY = "dev-00000000-0000-4000-8000-000000000000-00000000-0000-4000-8000-000000000001"


class NotificationsSettings(ServiceSettings):
    model_config = SettingsConfigDict(
        env_prefix="NOTIFICATIONS_", env_ignore_empty=True, extra="ignore"
    )
    http_port: int = 8104

    # Email over SMTP (a relay or the provider's submission port).
    smtp_host: str = "127.0.0.1"
    smtp_port: int = 1025
    smtp_timeout_s: float = Field(10.0, gt=0, description="Per SMTP command")
    smtp_starttls: bool = False
    smtp_username: str | None = None
    smtp_password: SecretStr | None = None
    mail_from: str = "Care Benefit <no-reply@carebenefit.service.gov.uk>"
    message_id_domain: str = "carebenefit.service.gov.uk"

    # Text messages and letters through GOV.UK Notify (or the local stub).
    notify_base_url: str = "http://127.0.0.1:8199"
    notify_api_key: SecretStr = SecretStr(DEV_NOTIFY_KEY)
    notify_timeout_s: float = Field(10.0, gt=0)
    notify_callback_token: SecretStr = SecretStr(DEV_CALLBACK_TOKEN)
    notify_template_ids: dict[str, str] = Field(
        default_factory=dict,
        description="'<template>/<channel>/<format>' -> Notify template id; unmapped keys are sent"
        " as they are (what the local stub expects)",
    )

    consumer_enabled: bool = Field(
        True, description="Consume events here; off for a replica that only serves HTTP or sends"
    )

    # The background sender and delivery reconciliation.
    sender_enabled: bool = Field(True, description="Run the sender and the reconciliation here")
    sender_batch_size: int = Field(20, ge=1, le=500)
    sender_poll_interval_ms: int = Field(500, ge=10)
    send_timeout_s: float = Field(60.0, gt=0, description="Cap on one attempt, all steps")
    claim_lease_s: float = Field(
        15.0,
        gt=0,
        description="A sender's lease on an attempt, renewed every third of it while"
        " it sends: how long a dead sender's messages wait before another takes them over",
    )
    retry_max_attempts: int = Field(5, ge=1, le=50)
    retry_base_delay_s: float = Field(60.0, gt=0)
    retry_max_delay_s: float = Field(6 * 3600.0, gt=0)
    reconcile_after_s: float = Field(
        900.0,
        gt=0,
        description="Ask Notify about a message it accepted this long ago whose"
        " final status has not come",
    )
    reconcile_every_s: float = Field(900.0, gt=0, description="Ask again at most this often")
    reconcile_poll_s: float = Field(60.0, gt=0, description="How often reconciliation runs")
    reconcile_batch_size: int = Field(100, ge=1, le=1000)
    unconfirmed_after_s: float = Field(
        5 * 86400.0,
        gt=0,
        description="Flag for operations a message with no final status this"
        " long after Notify accepted it: past Notify's 72 hours of delivery attempts and a long"
        " weekend of letter printing, with days left of the 7 that Notify answers for",
    )

    @model_validator(mode="after")
    def _safe(self) -> "NotificationsSettings":
        if not self.reconcile_after_s < self.unconfirmed_after_s < NOTIFY_KEEPS_S:
            raise ValueError("need reconcile_after_s < unconfirmed_after_s < 7 days")
        if self.environment == "production" and {
            self.notify_callback_token.get_secret_value(),
            self.notify_api_key.get_secret_value(),
        } & {DEV_CALLBACK_TOKEN, DEV_NOTIFY_KEY}:
            raise ValueError("set NOTIFICATIONS_NOTIFY_API_KEY and _NOTIFY_CALLBACK_TOKEN")
        return self

    def retry_policy(self) -> RetryPolicy:
        return RetryPolicy(
            max_attempts=self.retry_max_attempts,
            base_delay=timedelta(seconds=self.retry_base_delay_s),
            max_delay=timedelta(seconds=self.retry_max_delay_s),
        )
