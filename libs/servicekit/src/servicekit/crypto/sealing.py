"""Values kept encrypted in a column, each bound to the row it belongs to.

A `SealedColumn` names a table's column of tokens and the row's key column; each value is
encrypted under the associated data `<table>.<column>:<row key>`, so a token copied into another
row or column does not open. Where rows are found by the value (a NINO), `lookup` names a column
of keyed hashes of the plaintext beside it.
"""

from dataclasses import dataclass

from servicekit.crypto.keys import Encryptor, KeyedHash


@dataclass(frozen=True)
class SealedColumn:
    table: str
    column: str
    key: str
    """The row's primary key column (one column); its value is bound into each token."""
    lookup: str | None = None
    """A column holding the keyed hash of the plaintext, to find rows by value."""

    def context(self, row_key: object) -> str:
        return f"{self.table}.{self.column}:{row_key}"

    @property
    def lookup_context(self) -> str:
        return f"{self.table}.{self.column}"


class Sealer:
    """What adapters encrypt, decrypt and hash personal data with (one per service, from its
    settings: `EncryptionSettings.sealer()`)."""

    def __init__(self, encryptor: Encryptor, keyed_hash: KeyedHash) -> None:
        self.encryptor, self.keyed_hash = encryptor, keyed_hash

    def seal(self, column: SealedColumn, row_key: object, value: str) -> str:
        return self.encryptor.encrypt(value, column.context(row_key))

    def open(self, column: SealedColumn, row_key: object, token: str) -> str:
        return self.encryptor.decrypt(token, column.context(row_key))

    def digest(self, column: SealedColumn, value: str) -> str:
        """The lookup hash of `value` for `column` (store it in `column.lookup`, search by it)."""
        return self.keyed_hash.digest(value, column.lookup_context)
