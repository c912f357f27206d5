"""One service's keys as its environment carries them: generated like a password (devstack, the
test session), given to the service as `<SERVICE>_ENCRYPTION_KEYS`, `<SERVICE>_ENCRYPTION_KEY_ID`
and `<SERVICE>_LOOKUP_KEY` (see settings.py)."""

import json
from dataclasses import dataclass, field
from typing import Any

from servicekit.crypto.keys import generate_key, new_key_id


@dataclass(frozen=True)
class Keyset:
    keys: dict[str, str] = field(repr=False)
    """key id -> base64 key-encryption key, old ones included."""
    current: str
    lookup: str = field(repr=False)
    """base64 lookup (HMAC) key."""

    @classmethod
    def generate(cls) -> "Keyset":
        key_id = new_key_id()
        return cls({key_id: generate_key()}, key_id, generate_key())

    def with_new_key(self) -> "Keyset":
        """A new current key; the old ones stay, so what they wrote still opens."""
        key_id = new_key_id()
        return Keyset({**self.keys, key_id: generate_key()}, key_id, self.lookup)

    def settings(self) -> dict[str, Any]:
        """`EncryptionSettings` fields: `PaymentsSettings(**keyset.settings(), ...)`."""
        return {
            "encryption_keys": dict(self.keys),
            "encryption_key_id": self.current,
            "lookup_key": self.lookup,
        }

    def env(self, prefix: str) -> dict[str, str]:
        return {
            f"{prefix}ENCRYPTION_KEYS": json.dumps(self.keys),
            f"{prefix}ENCRYPTION_KEY_ID": self.current,
            f"{prefix}LOOKUP_KEY": self.lookup,
        }

    def to_dict(self) -> dict[str, Any]:
        return {"keys": self.keys, "current": self.current, "lookup": self.lookup}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "Keyset":
        return cls(dict(data["keys"]), data["current"], data["lookup"])
