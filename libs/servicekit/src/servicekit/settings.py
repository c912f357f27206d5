"""Settings every service reads from its environment (never at import time)."""

from pathlib import Path
from typing import Literal

from pydantic import AliasChoices, Field, SecretStr, field_validator, model_validator
from pydantic_settings import SettingsConfigDict

from servicekit.kafka_security import KafkaClientSettings

MIN_SECRET_LENGTH = 32
MIN_OUTBOX_RETENTION_HOURS = 1  # the floor servicekit_prune_outbox enforces (migration 0006)


class ServiceSettings(KafkaClientSettings):
    """Subclass per service with `env_prefix="<SERVICE>_"`; shared settings keep their own names.
    Kafka: see `servicekit.kafka_security` (`<SERVICE>_KAFKA_USERNAME` / `_PASSWORD`).

    Fails closed: with no `CAREBENEFIT_ENVIRONMENT` a service is in production, where it refuses
    to start without its token issuer and audience (or with a plain-http issuer) or with a short
    client secret. `make up` and the tests say `development` / `test` explicitly; outside
    production the only difference is that the API documentation (/docs) is served."""

    model_config = SettingsConfigDict(env_ignore_empty=True, extra="ignore")

    database_url: str = Field(
        description="postgresql://user:password@host:port/dbname?sslmode=... of this service's "
        "runtime role (the pool)"
    )
    migration_database_url: str | None = Field(
        None,
        description="the same database as its migration role (owns the schema); "
        "None: migrations run as the runtime role",
    )
    http_host: str = "127.0.0.1"
    http_port: int = 8000
    environment: Literal["development", "test", "production"] = Field(
        "production", validation_alias=AliasChoices("CAREBENEFIT_ENVIRONMENT", "environment")
    )
    otel_traces_file: Path | None = Field(None, validation_alias=AliasChoices("OTEL_TRACES_FILE"))
    otel_exporter_otlp_endpoint: str | None = Field(
        None, validation_alias=AliasChoices("OTEL_EXPORTER_OTLP_ENDPOINT")
    )
    consumer_max_attempts: int = Field(3, ge=1, le=20)
    consumer_retry_backoff_ms: int = Field(100, ge=0)
    consumer_workers: int = Field(1, ge=1, le=16)
    consumer_batch_size: int = Field(
        200, ge=1, le=5000, description="records applied in one transaction at most"
    )
    consumer_poll_ms: int = Field(
        20, ge=1, le=1000, description="how long a poll waits for records when none are there"
    )
    consumer_fetch_min_bytes: int = Field(
        1, ge=1, description="the broker answers a fetch once it has this many bytes ..."
    )
    consumer_fetch_max_wait_ms: int = Field(
        500, ge=0, le=5000, description="... or once it has waited this long"
    )
    # Supervision and restarts (servicekit.supervision, servicekit.consumer).
    supervisor_exit_after_seconds: float = Field(
        120, gt=0, description="a task failing this long makes the process exit to be restarted"
    )
    supervisor_backoff_max_seconds: float = Field(5, gt=0)
    consumer_infrastructure_wait_seconds: float = Field(
        30, gt=0, description="waiting this long on one message, rewind and read it again"
    )
    consumer_instance_id: str | None = Field(
        None,
        description="static group membership (group.instance.id): each replica its own, stable"
        " across its restarts (devstack sets <app>@<host>:<port>); unset: dynamic membership",
    )
    consumer_session_timeout_ms: int = Field(
        10_000,
        ge=6_000,
        le=1_800_000,
        description="session.timeout.ms: a static member gone longer than this is removed and"
        " its partitions reassigned; one back sooner keeps them, with no rebalance (the broker's"
        " group.min/max.session.timeout.ms bound it: 6 s and 30 min by default)",
    )
    relay_enabled: bool = True
    relay_batch_size: int = Field(500, ge=1)
    relay_poll_interval_ms: int = Field(500, ge=10)
    # Outbox retention (servicekit.retention): published rows are deleted once this old.
    outbox_retention_hours: float = Field(
        168,
        ge=0,
        description="published outbox rows are kept this long (7 days; at least 1; the topics"
        " must keep events at least as long); 0: kept for ever",
    )
    outbox_prune_interval_seconds: float = Field(300, gt=0, description="how often to prune")
    outbox_prune_batch_size: int = Field(
        5_000, ge=1, le=100_000, description="rows deleted in one transaction at most"
    )
    kafka_linger_ms: int = Field(
        5, ge=0, le=1000, description="how long the producer waits to fill a batch"
    )
    kafka_compression_type: Literal["lz4", "gzip", "zstd", "snappy"] | None = "lz4"
    tracemalloc_dir: Path | None = Field(
        None, description="where to write tracemalloc reports (servicekit.heap); unset: off"
    )
    tracemalloc_every_s: float = Field(300.0, gt=0, description="how often to write one")
    tracemalloc_frames: int = Field(8, ge=1, le=100, description="frames kept a traceback")
    gc_young_threshold: int = Field(
        50_000,
        ge=0,
        description="net allocations between collections of the youngest generation, once"
        " started (servicekit.collector: start-up's objects are frozen); 0: Python's defaults",
    )
    pool_min_size: int = 2
    pool_max_size: int = 10
    # Bearer tokens (servicekit.auth): every route but health needs one; a service will not
    # start without issuer and audience.
    auth_issuer: str | None = Field(None, description="the OpenID Connect provider's issuer URL")
    auth_audience: str | None = Field(None, description="this service's resource indicator")
    auth_jwks_url: str | None = Field(None, description="defaults to the issuer's jwks_uri")
    auth_client_id: str | None = Field(
        None, description="client-credentials client of this service"
    )
    auth_client_secret: SecretStr | None = None

    @property
    def production(self) -> bool:
        return self.environment == "production"

    @model_validator(mode="after")
    def _fail_closed_in_production(self) -> "ServiceSettings":
        if not self.production:
            return self
        prefix = str(self.model_config.get("env_prefix", "")).upper()
        problems = []
        if not (self.auth_issuer and self.auth_audience):
            problems.append(f"{prefix}AUTH_ISSUER and {prefix}AUTH_AUDIENCE must be set")
        for name, url in (("ISSUER", self.auth_issuer), ("JWKS_URL", self.auth_jwks_url)):
            if url and not url.startswith("https://"):
                problems.append(f"{prefix}AUTH_{name} must be https:// in production")
        secret = self.auth_client_secret
        if secret is not None and len(secret.get_secret_value()) < MIN_SECRET_LENGTH:
            problems.append(f"{prefix}AUTH_CLIENT_SECRET must be {MIN_SECRET_LENGTH}+ characters")
        if problems:
            raise ValueError("refusing to start in production: " + "; ".join(problems))
        return self

    @field_validator("outbox_retention_hours")
    @classmethod
    def _an_hour_at_least(cls, value: float) -> float:
        if 0 < value < MIN_OUTBOX_RETENTION_HOURS:
            raise ValueError(f"must be 0 (kept for ever) or {MIN_OUTBOX_RETENTION_HOURS}+ hours")
        return value

    @field_validator("database_url", "migration_database_url")
    @classmethod
    def _postgres_only(cls, value: str | None) -> str | None:
        if value is not None and not value.startswith(("postgresql://", "postgres://")):
            raise ValueError("must be a postgresql:// URL")
        return value
