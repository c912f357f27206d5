"""Envelope encryption, keyed hashes and the keys' settings: values open only where they were
written, old keys keep working until rotated away, and no service starts without its keys."""

import base64
import json

import pytest
from pydantic import ValidationError
from pydantic_settings import SettingsConfigDict
from servicekit.crypto import (
    DecryptionError,
    EncryptionSettings,
    Encryptor,
    KeyConfigurationError,
    KeyedHash,
    Keyset,
    SealedColumn,
    key_id_of,
)
from servicekit.settings import ServiceSettings

OLD, NEW = b"o" * 32, b"n" * 32
ACCOUNT = SealedColumn("bank_accounts", "account_number", "person_id")


def test_a_value_opens_only_with_its_associated_data():
    encryptor = Encryptor({"k1": OLD}, "k1")
    token = encryptor.encrypt("12345678", "bank_accounts.account_number:P1")
    assert "12345678" not in token and key_id_of(token) == "k1"
    assert encryptor.decrypt(token, "bank_accounts.account_number:P1") == "12345678"
    with pytest.raises(DecryptionError, match="another row or column") as moved:
        encryptor.decrypt(token, "bank_accounts.account_number:P2")
    assert "12345678" not in str(moved.value) and token not in str(moved.value)


def test_each_value_has_its_own_data_key_and_nonce():
    encryptor = Encryptor({"k1": OLD}, "k1")
    assert encryptor.encrypt("same", "ad") != encryptor.encrypt("same", "ad")


def test_a_tampered_token_is_refused():
    encryptor = Encryptor({"k1": OLD}, "k1")
    token = encryptor.encrypt("12345678", "ad")
    head, last = token.rsplit(".", 1)
    flipped = last[:-2] + ("A" if last[-2] != "A" else "B") + last[-1]
    with pytest.raises(DecryptionError):
        encryptor.decrypt(f"{head}.{flipped}", "ad")
    with pytest.raises(DecryptionError, match="not an encrypted value"):
        encryptor.decrypt("12345678", "ad")


def test_old_values_open_after_rotation_and_rewrap_moves_them_to_the_new_key():
    old = Encryptor({"k1": OLD}, "k1").encrypt("12345678", "ad")
    rotated = Encryptor({"k1": OLD, "k2": NEW}, "k2")
    assert rotated.decrypt(old, "ad") == "12345678"
    assert key_id_of(rotated.encrypt("87654321", "ad")) == "k2"
    moved = rotated.rewrap(old)
    assert key_id_of(moved) == "k2" and moved.rsplit(".", 1)[1] == old.rsplit(".", 1)[1]
    new_only = Encryptor({"k2": NEW}, "k2")
    assert new_only.decrypt(moved, "ad") == "12345678"
    with pytest.raises(DecryptionError, match="key k1, not configured"):
        new_only.decrypt(old, "ad")
    assert rotated.rewrap(moved) == moved


def test_a_wrapped_key_does_not_open_under_another_key_of_the_same_id():
    token = Encryptor({"k1": OLD}, "k1").encrypt("12345678", "ad")
    with pytest.raises(DecryptionError, match="does not open with key k1"):
        Encryptor({"k1": NEW}, "k1").decrypt(token, "ad")


def test_bad_key_configuration_is_refused():
    with pytest.raises(KeyConfigurationError, match="not among the keys"):
        Encryptor({"k1": OLD}, "k2")
    with pytest.raises(KeyConfigurationError, match="32 bytes"):
        Encryptor({"k1": b"short"}, "k1")
    with pytest.raises(KeyConfigurationError, match="key id"):
        Encryptor({"k.1": OLD}, "k.1")
    with pytest.raises(KeyConfigurationError, match="at least 32 bytes"):
        KeyedHash(b"short")


def test_keyed_hashes_are_stable_per_key_and_context():
    lookup = KeyedHash(OLD)
    assert lookup.digest("AB123456C", "people.nino") == lookup.digest("AB123456C", "people.nino")
    assert lookup.digest("AB123456C", "people.nino") != lookup.digest("AB123456D", "people.nino")
    assert lookup.digest("AB123456C", "people.nino") != lookup.digest("AB123456C", "other.nino")
    assert lookup.digest("AB123456C", "people.nino") != KeyedHash(NEW).digest(
        "AB123456C", "people.nino"
    )


class PaymentsLike(ServiceSettings, EncryptionSettings):
    model_config = SettingsConfigDict(env_prefix="PAYMENTS_", env_ignore_empty=True, extra="ignore")


@pytest.mark.parametrize("environment", ["production", "development", "test"])
def test_no_service_starts_without_its_keys(monkeypatch, environment):
    monkeypatch.setenv("CAREBENEFIT_ENVIRONMENT", environment)
    with pytest.raises(ValidationError) as refused:
        PaymentsLike(database_url="postgresql://x/payments")
    message = str(refused.value)
    assert "refusing to start" in message
    for variable in (
        "PAYMENTS_ENCRYPTION_KEYS",
        "PAYMENTS_ENCRYPTION_KEY_ID",
        "PAYMENTS_LOOKUP_KEY",
    ):
        assert variable in message


def test_malformed_keys_are_refused_naming_the_variable(monkeypatch):
    keyset = Keyset.generate()
    monkeypatch.setenv("CAREBENEFIT_ENVIRONMENT", "production")
    for name, value in keyset.env("PAYMENTS_").items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("PAYMENTS_ENCRYPTION_KEYS", json.dumps({keyset.current: "not base64!"}))
    with pytest.raises(ValidationError, match="PAYMENTS_ENCRYPTION_KEYS.*must be base64"):
        PaymentsLike(database_url="postgresql://x/payments")
    short = base64.b64encode(b"x" * 16).decode()
    monkeypatch.setenv("PAYMENTS_ENCRYPTION_KEYS", json.dumps({keyset.current: short}))
    with pytest.raises(ValidationError, match="must be 32 bytes"):
        PaymentsLike(database_url="postgresql://x/payments")


def test_keys_from_the_environment_seal_and_open(monkeypatch):
    keyset = Keyset.generate()
    for name, value in keyset.with_new_key().env("PAYMENTS_").items():
        monkeypatch.setenv(name, value)
    settings = PaymentsLike(database_url="postgresql://x/payments", environment="test")
    sealer = settings.sealer()
    token = sealer.seal(ACCOUNT, "P1", "12345678")
    assert sealer.open(ACCOUNT, "P1", token) == "12345678"
    assert key_id_of(token) != keyset.current  # the new current key
    for secret in keyset.keys.values():
        assert secret not in repr(settings) and secret not in repr(keyset)
