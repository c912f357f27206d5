from pathlib import Path
from typing import Literal

from pydantic import Field, model_validator
from pydantic_settings import SettingsConfigDict
from servicekit.kafka_security import KafkaClientSettings

DEVELOPMENT_SECRET = "development-only-secret-change-me"  # noqa: S105 (the development default; production refuses it)
MIN_SECRET_LENGTH = 32


class PortalSettings(KafkaClientSettings):
    """Fails closed: with no `CAREBENEFIT_ENVIRONMENT` the portal is in production, where it
    refuses to start with a default or short secret or without its identity providers. Kafka (the
    ops view's consumer lag) as the read-only `operations` principal: PORTAL_KAFKA_USERNAME /
    PORTAL_KAFKA_PASSWORD, see servicekit.kafka_security."""

    model_config = SettingsConfigDict(
        env_prefix="PORTAL_", env_ignore_empty=True, extra="ignore", populate_by_name=True
    )

    assessment_url: str = "http://127.0.0.1:8101"
    payments_url: str = "http://127.0.0.1:8102"
    care_plans_url: str = "http://127.0.0.1:8103"
    notifications_url: str = "http://127.0.0.1:8104"
    database_url: str | None = None
    migration_database_url: str | None = Field(
        None, description="the portal database's migration role (unset: the runtime role)"
    )
    otel_traces_file: str | None = Field(
        None,
        validation_alias="OTEL_TRACES_FILE",
        description="the portal's span file; the console reads every *.jsonl beside it",
    )
    ops_traces_collector_file: str | None = Field(
        None,
        description="an OpenTelemetry Collector's file exporter output (OTLP/JSON lines): set,"
        " trace waterfalls read the spans the collector received instead of the services' files",
    )
    ops_lag_sample_seconds: float = Field(
        60.0, ge=0, description="how often consumer lag is sampled for its trend (0: never)"
    )
    session_secret: str = DEVELOPMENT_SECRET
    environment: Literal["development", "test", "production"] = Field(
        "production", alias="CAREBENEFIT_ENVIRONMENT"
    )
    http_port: int = 8100
    assets_dir: str | None = None
    # Citizens: GOV.UK One Login in production (the development provider otherwise).
    oidc_issuer: str | None = None
    oidc_client_id: str | None = None
    oidc_private_key_file: Path | None = None
    # Where One Login publishes the key of the core identity JWT (a DID document), and the
    # issuer of that JWT; default to `<oidc_issuer>/.well-known/did.json` and
    # `<oidc_issuer>/identity` (the development provider's layout).
    identity_did_url: str | None = None
    identity_issuer: str | None = None
    # Staff: the department's single sign-on (default: the citizens' provider and key).
    staff_oidc_issuer: str | None = None
    staff_oidc_client_id: str | None = None
    staff_oidc_private_key_file: Path | None = None
    # Resource indicators of the services (the audience of the tokens the portal gets for them).
    assessment_resource: str = "urn:carebenefit:api:assessment"
    payments_resource: str = "urn:carebenefit:api:payments"
    care_plans_resource: str = "urn:carebenefit:api:care-plans"
    notifications_resource: str = "urn:carebenefit:api:notifications"
    session_idle_minutes: int = Field(30, ge=1, le=60)
    session_absolute_hours: int = Field(12, ge=1, le=24)

    @model_validator(mode="after")
    def _fail_closed_in_production(self) -> "PortalSettings":
        if self.environment != "production":
            return self
        problems = []
        if (
            self.session_secret == DEVELOPMENT_SECRET
            or len(self.session_secret) < MIN_SECRET_LENGTH
        ):
            problems.append(
                f"PORTAL_SESSION_SECRET must be set to a secret of {MIN_SECRET_LENGTH}+ characters"
            )
        if not (self.oidc_issuer and self.oidc_client_id and self.oidc_private_key_file):
            problems.append(
                "PORTAL_OIDC_ISSUER, PORTAL_OIDC_CLIENT_ID and PORTAL_OIDC_PRIVATE_KEY_FILE "
                "(GOV.UK One Login) must be set"
            )
        for name, issuer in (("OIDC", self.oidc_issuer), ("STAFF_OIDC", self.staff_issuer)):
            if issuer and not issuer.startswith("https://"):
                problems.append(f"PORTAL_{name}_ISSUER must be https:// in production")
        if not self.database_url:
            problems.append("PORTAL_DATABASE_URL must be set")
        if problems:
            raise ValueError("refusing to start in production: " + "; ".join(problems))
        return self

    @property
    def production(self) -> bool:
        return self.environment == "production"

    @property
    def staff_issuer(self) -> str | None:
        return self.staff_oidc_issuer or self.oidc_issuer

    @property
    def staff_client_id(self) -> str | None:
        return self.staff_oidc_client_id or self.oidc_client_id

    @property
    def staff_private_key_file(self) -> Path | None:
        return self.staff_oidc_private_key_file or self.oidc_private_key_file

    def resource(self, service: str) -> str:
        return getattr(self, f"{service}_resource")
