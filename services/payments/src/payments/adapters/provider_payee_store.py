"""Providers' bank details recorded in PostgreSQL, sealed (adapters/sealed.py).

A payment run reads them here: first the entries of the provider payees file (the supplier
set-up's, adapters/provider_payees.py) are recorded, each once; then every recorded entry is
opened. An entry already recorded that the file now gives other details for is refused: a
change of bank details is a new entry, never an edit, so a changed file cannot redirect a
payment to an account nobody called back.
"""

import asyncpg
from servicekit.crypto import Sealer

from payments.adapters.data_files import DataFileError
from payments.adapters.provider_payees import FileProviderPayees
from payments.adapters.sealed import (
    PROVIDER_ACCOUNT_NAME,
    PROVIDER_ACCOUNT_NUMBER,
    PROVIDER_SORT_CODE,
)
from payments.domain.errors import ProviderPayeesUnavailable
from payments.domain.providers import ProviderPayee, ProviderPayees

_RECORD = (
    "INSERT INTO provider_bank_accounts (payee_ref, provider_id, effective_from, name,"
    " account_name, sort_code, account_number) VALUES ($1,$2,$3,$4,$5,$6,$7)"
    " ON CONFLICT (payee_ref) DO NOTHING"
)
_RECORDED = (
    "SELECT payee_ref, provider_id, effective_from, name, account_name, sort_code,"
    " account_number FROM provider_bank_accounts"
)


class ProviderPayeesEdited(DataFileError, ProviderPayeesUnavailable):
    """The payees file changes details already recorded (it names the entries, not the numbers)."""


class PostgresProviderPayees:
    def __init__(self, pool: asyncpg.Pool, sealer: Sealer, source: FileProviderPayees) -> None:
        self.pool, self.sealer, self.source = pool, sealer, source

    async def load(self) -> ProviderPayees:
        """Raises ProviderPayeesUnavailable when the file is missing, malformed or edits a
        recorded entry: nothing is paid from a file that cannot be trusted whole."""
        try:
            given = (await self.source.load()).entries
        except (DataFileError, OSError) as exc:
            raise ProviderPayeesUnavailable(
                f"the providers' bank details cannot be read ({exc}); no payment run is made"
                " until they can"
            ) from exc
        async with self.pool.acquire() as conn, conn.transaction():
            await conn.executemany(_RECORD, [self._row(e) for e in given])
            recorded = ProviderPayees.of(self._payee(r) for r in await conn.fetch(_RECORDED))
            edited = sorted(e.ref for e in given if e not in recorded.entries)
            if edited:  # raised inside the transaction: nothing of this file is recorded
                raise ProviderPayeesEdited(
                    f"provider payees file: {', '.join(edited)} differ from the details"
                    " recorded for them; a change of bank details is a new entry with its date"
                )
        return recorded

    def _row(self, e: ProviderPayee) -> tuple:
        seal, ref = self.sealer.seal, e.ref
        return (
            ref,
            e.provider_id,
            e.effective_from,
            e.name,
            seal(PROVIDER_ACCOUNT_NAME, ref, e.account_name),
            seal(PROVIDER_SORT_CODE, ref, e.sort_code),
            seal(PROVIDER_ACCOUNT_NUMBER, ref, e.account_number),
        )

    def _payee(self, row: asyncpg.Record) -> ProviderPayee:
        open_, ref = self.sealer.open, row["payee_ref"]
        return ProviderPayee(
            provider_id=row["provider_id"],
            name=row["name"],
            account_name=open_(PROVIDER_ACCOUNT_NAME, ref, row["account_name"]),
            sort_code=open_(PROVIDER_SORT_CODE, ref, row["sort_code"]),
            account_number=open_(PROVIDER_ACCOUNT_NUMBER, ref, row["account_number"]),
            effective_from=row["effective_from"],
        )
