"""How a process authenticates to Kafka: SASL/SCRAM over TLS unless told otherwise.

Shared settings keep their own names (`KAFKA_BOOTSTRAP_SERVERS`, `KAFKA_SECURITY_PROTOCOL`,
`KAFKA_SASL_MECHANISM`, `KAFKA_SSL_CAFILE`); the principal's own are read under the settings
class's prefix (`<PREFIX>KAFKA_USERNAME`, `<PREFIX>KAFKA_PASSWORD`).
"""

import ssl
from pathlib import Path
from typing import Any, Literal

from faststream.security import BaseSecurity, SASLScram256, SASLScram512
from pydantic import AliasChoices, Field, SecretStr, model_validator
from pydantic_settings import BaseSettings

SecurityProtocol = Literal["SASL_SSL", "PLAINTEXT"]
SaslMechanism = Literal["SCRAM-SHA-512", "SCRAM-SHA-256"]


def _shared(name: str) -> AliasChoices:
    return AliasChoices(name, name.lower())


class KafkaSecurityError(ValueError):
    pass


class KafkaClientSettings(BaseSettings):
    """Mixed into a process's settings; `kafka_client_options()` / `faststream_security()`
    build the clients' arguments. PLAINTEXT (no authentication) is refused in production."""

    kafka_bootstrap_servers: str = Field(
        "127.0.0.1:19092", validation_alias=_shared("KAFKA_BOOTSTRAP_SERVERS")
    )
    kafka_security_protocol: SecurityProtocol = Field(
        "SASL_SSL", validation_alias=_shared("KAFKA_SECURITY_PROTOCOL")
    )
    kafka_sasl_mechanism: SaslMechanism = Field(
        "SCRAM-SHA-512", validation_alias=_shared("KAFKA_SASL_MECHANISM")
    )
    kafka_ssl_cafile: Path | None = Field(
        None,
        validation_alias=_shared("KAFKA_SSL_CAFILE"),
        description="CA certificate(s) the broker's certificate is checked against; "
        "None: the system's",
    )
    kafka_username: str | None = None
    kafka_password: SecretStr | None = None

    @model_validator(mode="after")
    def _authenticated_in_production(self):
        if (
            getattr(self, "environment", None) == "production"
            and self.kafka_security_protocol != "SASL_SSL"
        ):
            raise ValueError("KAFKA_SECURITY_PROTOCOL must be SASL_SSL in production")
        return self

    def kafka_bootstrap_list(self) -> list[str]:
        """`KAFKA_BOOTSTRAP_SERVERS` (host:port, comma-separated) as a list, as FastStream's
        broker needs it: given one string, it takes it for a single server."""
        return [server.strip() for server in self.kafka_bootstrap_servers.split(",")]

    def kafka_ssl_context(self) -> ssl.SSLContext:
        """Verifies the broker's certificate and host name; TLS 1.2 at least."""
        cafile = str(self.kafka_ssl_cafile) if self.kafka_ssl_cafile else None
        context = ssl.create_default_context(cafile=cafile)
        context.minimum_version = ssl.TLSVersion.TLSv1_2
        return context

    def _credentials(self) -> tuple[str, str]:
        if not self.kafka_username or self.kafka_password is None:
            prefix = str(self.model_config.get("env_prefix", "")).upper()
            raise KafkaSecurityError(
                f"Kafka credentials missing: set {prefix}KAFKA_USERNAME and "
                f"{prefix}KAFKA_PASSWORD (KAFKA_SECURITY_PROTOCOL is SASL_SSL)"
            )
        return self.kafka_username, self.kafka_password.get_secret_value()

    def faststream_security(self) -> BaseSecurity | None:
        """FastStream's `security=` for KafkaBroker (None for PLAINTEXT)."""
        if self.kafka_security_protocol == "PLAINTEXT":
            return None
        username, password = self._credentials()
        scram = SASLScram512 if self.kafka_sasl_mechanism == "SCRAM-SHA-512" else SASLScram256
        return scram(username, password, ssl_context=self.kafka_ssl_context())

    def kafka_client_options(self) -> dict[str, Any]:
        """aiokafka client keyword arguments, `bootstrap_servers` included."""
        options: dict[str, Any] = {"bootstrap_servers": self.kafka_bootstrap_servers}
        if self.kafka_security_protocol == "PLAINTEXT":
            return options
        username, password = self._credentials()
        return {
            **options,
            "security_protocol": "SASL_SSL",
            "sasl_mechanism": self.kafka_sasl_mechanism,
            "sasl_plain_username": username,
            "sasl_plain_password": password,
            "ssl_context": self.kafka_ssl_context(),
        }
