"""Static group membership's settings, as a chart sets them per pod: the pod's name as
`<SERVICE>_CONSUMER_INSTANCE_ID` and a session timeout that outlasts its restart."""

import pytest
from pydantic import ValidationError
from pydantic_settings import SettingsConfigDict
from servicekit.settings import ServiceSettings


class PaymentsLike(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="PAYMENTS_", extra="ignore")


def test_a_pod_s_name_and_session_timeout_come_from_its_environment(monkeypatch) -> None:
    monkeypatch.setenv("CAREBENEFIT_ENVIRONMENT", "test")
    monkeypatch.setenv("PAYMENTS_DATABASE_URL", "postgresql://x@localhost/payments")
    monkeypatch.setenv("PAYMENTS_CONSUMER_INSTANCE_ID", "cb-care-benefit-payments-1")
    monkeypatch.setenv("PAYMENTS_CONSUMER_SESSION_TIMEOUT_MS", "90000")
    settings = PaymentsLike()
    assert settings.consumer_instance_id == "cb-care-benefit-payments-1"
    assert settings.consumer_session_timeout_ms == 90_000


def test_the_session_timeout_defaults_to_aiokafka_s_and_stays_within_the_broker_s_bounds(
    monkeypatch,
) -> None:
    monkeypatch.setenv("CAREBENEFIT_ENVIRONMENT", "test")
    monkeypatch.setenv("PAYMENTS_DATABASE_URL", "postgresql://x@localhost/payments")
    assert PaymentsLike().consumer_session_timeout_ms == 10_000
    for refused in ("5000", "1800001"):  # group.min / group.max.session.timeout.ms
        monkeypatch.setenv("PAYMENTS_CONSUMER_SESSION_TIMEOUT_MS", refused)
        with pytest.raises(ValidationError, match="consumer_session_timeout_ms"):
            PaymentsLike()
