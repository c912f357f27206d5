"""Envelope encryption of single values with AES-256-GCM (PyCA `cryptography`'s AEAD), and
keyed hashes (HMAC-SHA256) for looking a value up without storing it.

Each value gets its own random data key; the value is encrypted with it under the caller's
associated data (what the value belongs to, e.g. `bank_accounts.account_number:P123`), and the
data key is encrypted ("wrapped") with the current key-encryption key, under that key's id. The
result is one text token that names its key:

    cb1.<key id>.<wrapped data key>.<encrypted value>      (base64url, no padding)

so keys can rotate: a value written under an old key still opens while that key is configured,
and `rewrap` moves it to the current key without touching the encrypted value itself.
"""

import base64
import binascii
import hashlib
import hmac
import os
import re
import secrets
from collections.abc import Mapping

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

FORMAT = "cb1"
KEY_BYTES = 32  # AES-256 key-encryption and data keys; HMAC-SHA256 lookup keys
_NONCE_BYTES = 12
_KEY_ID = re.compile(r"^[A-Za-z0-9_-]{1,40}$")


class KeyConfigurationError(ValueError):
    """The configured keys cannot be used (missing, malformed, too short)."""


class DecryptionError(ValueError):
    """A token that is not ours, names an unknown key, or fails authentication. The message
    never contains the token or its plaintext."""


def generate_key() -> str:
    """A fresh 256-bit key, base64 (standard alphabet), for settings."""
    return base64.b64encode(secrets.token_bytes(KEY_BYTES)).decode()


def new_key_id() -> str:
    return f"k{secrets.token_hex(4)}"


def decode_key(text: str, what: str) -> bytes:
    try:
        key = base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        raise KeyConfigurationError(f"{what} must be base64") from None
    if len(key) != KEY_BYTES:
        raise KeyConfigurationError(f"{what} must be {KEY_BYTES} bytes (base64 of 256 bits)")
    return key


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def is_token(value: str) -> bool:
    """Whether `value` has the shape of a token (says nothing about whether it opens)."""
    parts = value.split(".")
    return len(parts) == 4 and parts[0] == FORMAT and bool(_KEY_ID.match(parts[1]))


def key_id_of(token: str) -> str:
    if not is_token(token):
        raise DecryptionError("not an encrypted value")
    return token.split(".")[1]


class Encryptor:
    """Encrypts with the key `current`; decrypts with any key in `keys` (id -> 32 bytes)."""

    def __init__(self, keys: Mapping[str, bytes], current: str) -> None:
        for key_id, key in keys.items():
            if not _KEY_ID.match(key_id):
                raise KeyConfigurationError(f"key id {key_id!r}: use 1-40 of A-Z a-z 0-9 _ -")
            if len(key) != KEY_BYTES:
                raise KeyConfigurationError(f"key {key_id}: must be {KEY_BYTES} bytes")
        if current not in keys:
            raise KeyConfigurationError(f"the current key id {current!r} is not among the keys")
        self.current = current
        self._keks = {key_id: AESGCM(key) for key_id, key in keys.items()}

    @property
    def key_ids(self) -> frozenset[str]:
        return frozenset(self._keks)

    def encrypt(self, plaintext: str, associated_data: str) -> str:
        data_key = AESGCM.generate_key(bit_length=8 * KEY_BYTES)
        nonce = os.urandom(_NONCE_BYTES)
        sealed = AESGCM(data_key).encrypt(nonce, plaintext.encode(), associated_data.encode())
        return self._token(self.current, self._wrap(data_key), nonce + sealed)

    def decrypt(self, token: str, associated_data: str) -> str:
        key_id, wrapped, sealed = self._parse(token)
        data_key = self._unwrap(key_id, wrapped)
        try:
            plain = AESGCM(data_key).decrypt(
                sealed[:_NONCE_BYTES], sealed[_NONCE_BYTES:], associated_data.encode()
            )
        except InvalidTag:
            raise DecryptionError(
                "the value does not open with its key for this place (tampered, or moved from "
                "another row or column)"
            ) from None
        return plain.decode()

    def rewrap(self, token: str) -> str:
        """The same value with its data key wrapped by the current key (itself if it is)."""
        key_id, wrapped, sealed = self._parse(token)
        if key_id == self.current:
            return token
        return self._token(self.current, self._wrap(self._unwrap(key_id, wrapped)), sealed)

    def _wrap(self, data_key: bytes) -> bytes:
        nonce = os.urandom(_NONCE_BYTES)
        return nonce + self._keks[self.current].encrypt(nonce, data_key, self.current.encode())

    def _unwrap(self, key_id: str, wrapped: bytes) -> bytes:
        kek = self._keks.get(key_id)
        if kek is None:
            raise DecryptionError(f"the value is encrypted under key {key_id}, not configured")
        try:
            return kek.decrypt(wrapped[:_NONCE_BYTES], wrapped[_NONCE_BYTES:], key_id.encode())
        except InvalidTag:
            raise DecryptionError(f"the data key does not open with key {key_id}") from None

    @staticmethod
    def _token(key_id: str, wrapped: bytes, sealed: bytes) -> str:
        return f"{FORMAT}.{key_id}.{_b64(wrapped)}.{_b64(sealed)}"

    @staticmethod
    def _parse(token: str) -> tuple[str, bytes, bytes]:
        if not is_token(token):
            raise DecryptionError("not an encrypted value")
        _, key_id, wrapped, sealed = token.split(".")
        try:
            return key_id, _unb64(wrapped), _unb64(sealed)
        except (binascii.Error, ValueError):
            raise DecryptionError("not an encrypted value") from None


class KeyedHash:
    """HMAC-SHA256 of a value under a secret key: equal values give equal digests, so a column
    of digests can be searched, but without the key the digests say nothing about the values
    (a bare hash of a NINO could be reversed by trying all of them)."""

    def __init__(self, key: bytes) -> None:
        if len(key) < KEY_BYTES:
            raise KeyConfigurationError(f"a lookup key must be at least {KEY_BYTES} bytes")
        self._key = key

    def digest(self, value: str, context: str) -> str:
        """Hex digest of `value`; `context` (e.g. `people.nino`) keeps columns apart."""
        message = context.encode() + b"\x00" + value.encode()
        return hmac.new(self._key, message, hashlib.sha256).hexdigest()
