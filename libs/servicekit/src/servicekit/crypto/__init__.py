"""Personal data at rest: envelope encryption (AES-256-GCM) of single values, keyed hashes
(HMAC-SHA256) to look values up, keys from settings, rotation. See keys.py for the format.

    class PaymentsSettings(ServiceSettings, EncryptionSettings): ...
    sealer = settings.sealer()                       # once, in main.py
    ACCOUNT = SealedColumn("bank_accounts", "account_number", key="person_id")
    token = sealer.seal(ACCOUNT, person_id, "12345678")    # store the token
    number = sealer.open(ACCOUNT, person_id, token)
    await bring_all_up_to_date(pool, (ACCOUNT,), sealer)   # at start-up: plaintext, old keys
"""

from servicekit.crypto.keys import (
    DecryptionError,
    Encryptor,
    KeyConfigurationError,
    KeyedHash,
    generate_key,
    is_token,
    key_id_of,
    new_key_id,
)
from servicekit.crypto.keyset import Keyset
from servicekit.crypto.rotation import Progress, bring_all_up_to_date, bring_up_to_date
from servicekit.crypto.sealing import SealedColumn, Sealer
from servicekit.crypto.settings import EncryptionSettings

__all__ = [
    "DecryptionError",
    "EncryptionSettings",
    "Encryptor",
    "KeyConfigurationError",
    "KeyedHash",
    "Keyset",
    "Progress",
    "SealedColumn",
    "Sealer",
    "bring_all_up_to_date",
    "bring_up_to_date",
    "generate_key",
    "is_token",
    "key_id_of",
    "new_key_id",
]
