from typing import Literal

from pydantic import Field, model_validator
from pydantic_settings import SettingsConfigDict
from servicekit.kafka_security import KafkaClientSettings


class PortalSettings(KafkaClientSettings):
    """Kafka (the ops view's consumer lag) as the read-only `operations` principal:
    PORTAL_KAFKA_USERNAME / PORTAL_KAFKA_PASSWORD, see servicekit.kafka_security."""

    model_config = SettingsConfigDict(
        env_prefix="PORTAL_", env_ignore_empty=True, extra="ignore", populate_by_name=True
    )

    assessment_url: str = "http://127.0.0.1:8101"
    payments_url: str = "http://127.0.0.1:8102"
    care_plans_url: str = "http://127.0.0.1:8103"
    notifications_url: str = "http://127.0.0.1:8104"
    session_secret: str = "development-only-secret-change-me"
    environment: Literal["development", "test", "production"] = Field(
        "development", alias="CAREBENEFIT_ENVIRONMENT"
    )
    http_port: int = 8100
    assets_dir: str | None = None

    @model_validator(mode="after")
    def _no_default_secret_in_production(self) -> "PortalSettings":
        if self.environment == "production" and self.session_secret.startswith("development"):
            raise ValueError("PORTAL_SESSION_SECRET must be set in production")
        return self

    @property
    def development_sign_in(self) -> bool:
        """NINO + date of birth stands in for GOV.UK One Login outside production."""
        return self.environment != "production"
