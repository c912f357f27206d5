"""The provider-payee store: providers' bank details from a dated, cited YAML file
(payments/payees/provider-payees.yaml, or PAYMENTS_PROVIDER_PAYEES_FILE), validated by pydantic.

Account numbers are read through `SecretValues`, the seam for encryption at rest: with
`AsStored` (today) the file holds them as they are; once the kit's field encryption is switched
on, the file holds ciphertext and the wiring passes a `SecretValues` that decrypts it. The file
is read again at each payment run, so corrected details need no restart.
"""

import asyncio
import datetime
import re
from pathlib import Path
from typing import Annotated, Protocol

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, model_validator

from payments.adapters.data_files import DataFileError, iso_date, packaged_text, parse
from payments.domain.providers import ProviderPayee, ProviderPayees

PROVIDER_PAYEES = "provider-payees.yaml"
_PROVIDER_ID = r"^PRV-[0-9]{4}$"


class SecretValues(Protocol):
    def reveal(self, stored: str) -> str:
        """The plain value of a field stored (possibly encrypted) at rest."""


class AsStored:
    """Encryption at rest not switched on: a value is read as it is stored."""

    def reveal(self, stored: str) -> str:
        return stored


class _Payee(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    provider_id: str = Field(pattern=_PROVIDER_ID)
    name: str = Field(min_length=1, max_length=140)
    account_name: str = Field(min_length=1, max_length=70)
    sort_code: str = Field(pattern=r"^[0-9]{6}$")
    account_number: str = Field(min_length=1)
    effective_from: Annotated[datetime.date, BeforeValidator(iso_date)]
    source: str = Field(min_length=10)

    def __repr__(self) -> str:  # no bank details in error messages or logs
        return f"_Payee({self.provider_id}, {self.effective_from})"


class _PayeesFile(BaseModel):
    model_config = ConfigDict(extra="forbid")
    id: str
    catalogue: str
    source: str = Field(min_length=10)
    payees: list[_Payee]

    @model_validator(mode="after")
    def _one_entry_per_provider_and_day(self) -> "_PayeesFile":
        keys = [(p.provider_id, p.effective_from) for p in self.payees]
        twice = sorted({f"{p}@{d}" for p, d in keys if keys.count((p, d)) > 1})
        if twice:
            raise ValueError(f"a provider has two entries from the same date: {twice}")
        return self

    def to_domain(self, secrets: SecretValues) -> ProviderPayees:
        return ProviderPayees.of(_payee(p, secrets) for p in self.payees)


def _payee(entry: _Payee, secrets: SecretValues) -> ProviderPayee:
    account_number = secrets.reveal(entry.account_number)
    if not re.fullmatch(r"[0-9]{8}", account_number):
        where = f"{entry.provider_id} from {entry.effective_from}"
        raise DataFileError(f"provider payees file: {where}: the account number is not 8 digits")
    values = entry.model_dump(exclude={"source", "account_number"})
    return ProviderPayee(**values, account_number=account_number)


def parse_provider_payees(yaml_text: str, secrets: SecretValues | None = None) -> ProviderPayees:
    secrets = secrets or AsStored()
    return parse(_PayeesFile, yaml_text, "provider payees file", lambda m: m.to_domain(secrets))


class FileProviderPayees:
    def __init__(self, path: Path | None = None, secrets: SecretValues | None = None) -> None:
        self.path, self.secrets = path, secrets or AsStored()

    async def load(self) -> ProviderPayees:
        return parse_provider_payees(await asyncio.to_thread(self._text), self.secrets)

    def _text(self) -> str:
        if self.path is None:
            return packaged_text("payments.payees", PROVIDER_PAYEES)
        return self.path.read_text(encoding="utf-8")
