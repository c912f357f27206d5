"""Kafka client settings: SASL/SCRAM over TLS unless told otherwise, never PLAINTEXT in
production, and a clear error naming the variables when credentials are missing."""

import ssl

import pytest
from faststream.security import SASLScram512
from pydantic import ValidationError
from pydantic_settings import SettingsConfigDict
from servicekit.kafka_security import KafkaClientSettings, KafkaSecurityError
from servicekit.settings import ServiceSettings


class PaymentsLike(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="PAYMENTS_", env_ignore_empty=True, extra="ignore")


def test_credentials_come_from_the_prefixed_environment(monkeypatch):
    monkeypatch.setenv("PAYMENTS_KAFKA_USERNAME", "payments")
    monkeypatch.setenv("PAYMENTS_KAFKA_PASSWORD", "s3cret")
    monkeypatch.setenv("KAFKA_BOOTSTRAP_SERVERS", "broker:9093")
    settings = PaymentsLike(database_url="postgresql://x/payments", environment="test")
    options = settings.kafka_client_options()
    assert options["security_protocol"] == "SASL_SSL"
    assert options["sasl_mechanism"] == "SCRAM-SHA-512"
    assert (options["sasl_plain_username"], options["sasl_plain_password"]) == (
        "payments",
        "s3cret",
    )
    assert options["bootstrap_servers"] == "broker:9093"
    context = options["ssl_context"]
    assert context.verify_mode == ssl.CERT_REQUIRED and context.check_hostname
    assert context.minimum_version >= ssl.TLSVersion.TLSv1_2
    security = settings.faststream_security()
    assert isinstance(security, SASLScram512) and security.use_ssl
    assert "s3cret" not in repr(settings)


def test_missing_credentials_name_the_variables():
    settings = PaymentsLike(database_url="postgresql://x/payments", environment="test")
    with pytest.raises(
        KafkaSecurityError, match="PAYMENTS_KAFKA_USERNAME and PAYMENTS_KAFKA_PASSWORD"
    ):
        settings.faststream_security()


def test_plaintext_is_refused_in_production():
    with pytest.raises(ValidationError, match="SASL_SSL in production"):
        PaymentsLike(
            database_url="postgresql://x/p",
            kafka_security_protocol="PLAINTEXT",
            CAREBENEFIT_ENVIRONMENT="production",
            auth_issuer="https://sso.example",
            auth_audience="urn:carebenefit:api:payments",
        )
    assert KafkaClientSettings(kafka_security_protocol="PLAINTEXT").faststream_security() is None


def test_a_bootstrap_list_reaches_faststream_as_a_list(monkeypatch):
    monkeypatch.setenv(
        "KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:19092, 127.0.0.1:19094,127.0.0.1:19096"
    )
    settings = PaymentsLike(database_url="postgresql://x/payments", environment="test")
    assert settings.kafka_bootstrap_list() == [
        "127.0.0.1:19092",
        "127.0.0.1:19094",
        "127.0.0.1:19096",
    ]
    monkeypatch.setenv("KAFKA_BOOTSTRAP_SERVERS", "broker:9093")
    assert PaymentsLike(
        database_url="postgresql://x/payments", environment="test"
    ).kafka_bootstrap_list() == ["broker:9093"]
