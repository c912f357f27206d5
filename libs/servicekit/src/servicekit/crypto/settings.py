"""The keys a service encrypts and hashes personal data with, from its settings.

Mixed into a service's settings (`class PaymentsSettings(ServiceSettings, EncryptionSettings)`),
read under its prefix:

- `<SERVICE>_ENCRYPTION_KEYS`: JSON object, key id -> base64 256-bit key-encryption key; every
  key that may still have written a stored value (old ones stay until rotated away);
- `<SERVICE>_ENCRYPTION_KEY_ID`: the id of the key new values are written with;
- `<SERVICE>_LOOKUP_KEY`: base64 256-bit key of the keyed hashes values are looked up by.

There is no default and no development key: a service that keeps personal data refuses to start
without its keys, in every environment (devstack generates them like passwords).
"""

from pydantic import Field, SecretStr, model_validator
from pydantic_settings import BaseSettings

from servicekit.crypto.keys import (
    Encryptor,
    KeyConfigurationError,
    KeyedHash,
    decode_key,
)
from servicekit.crypto.sealing import Sealer


class EncryptionSettings(BaseSettings):
    encryption_keys: dict[str, SecretStr] = Field(
        default_factory=dict,
        description="key id -> base64 256-bit key-encryption key (JSON object)",
    )
    encryption_key_id: str | None = Field(
        None, description="the id of the key new values are encrypted with"
    )
    lookup_key: SecretStr | None = Field(
        None, description="base64 256-bit key of the keyed hashes (HMAC-SHA256) for lookups"
    )

    @model_validator(mode="after")
    def _keys_present(self) -> "EncryptionSettings":
        problems = []
        env = self.model_config.get("env_prefix", "")
        if not self.encryption_keys or not self.encryption_key_id:
            problems.append(f"{env}ENCRYPTION_KEYS and {env}ENCRYPTION_KEY_ID must be set")
        if self.lookup_key is None:
            problems.append(f"{env}LOOKUP_KEY must be set")
        if not problems:
            try:
                self.sealer()
            except KeyConfigurationError as error:
                problems.append(f"{env}ENCRYPTION_KEYS / {env}LOOKUP_KEY: {error}")
        if problems:
            raise ValueError(
                "refusing to start without usable keys for personal data: "
                + "; ".join(problems)
                + " (new keys: python -m servicekit.crypto generate-key)"
            )
        return self

    def encryptor(self) -> Encryptor:
        keys = {
            key_id: decode_key(secret.get_secret_value(), f"key {key_id}")
            for key_id, secret in self.encryption_keys.items()
        }
        return Encryptor(keys, self.encryption_key_id or "")

    def keyed_hash(self) -> KeyedHash:
        secret = self.lookup_key.get_secret_value() if self.lookup_key else ""
        return KeyedHash(decode_key(secret, "the lookup key"))

    def sealer(self) -> Sealer:
        return Sealer(self.encryptor(), self.keyed_hash())
