"""Providers' bank details as the supplier set-up gives them: a dated, cited YAML file
(payments/payees/provider-payees.yaml, or PAYMENTS_PROVIDER_PAYEES_FILE), validated by pydantic.

The file is read again at each payment run, so new details need no restart; the run records its
entries sealed in the database and pays from those (adapters/provider_payee_store.py).
"""

import asyncio
import datetime
from pathlib import Path
from typing import Annotated

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, model_validator

from payments.adapters.data_files import iso_date, packaged_text, parse
from payments.domain.providers import ProviderPayee, ProviderPayees

PROVIDER_PAYEES = "provider-payees.yaml"
_PROVIDER_ID = r"^PRV-[0-9]{4}$"


class _Payee(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    provider_id: str = Field(pattern=_PROVIDER_ID)
    name: str = Field(min_length=1, max_length=140)
    account_name: str = Field(min_length=1, max_length=70)
    sort_code: str = Field(pattern=r"^[0-9]{6}$")
    account_number: str = Field(pattern=r"^[0-9]{8}$")
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

    def to_domain(self) -> ProviderPayees:
        return ProviderPayees.of(
            ProviderPayee(**p.model_dump(exclude={"source"})) for p in self.payees
        )


def parse_provider_payees(yaml_text: str) -> ProviderPayees:
    return parse(_PayeesFile, yaml_text, "provider payees file", _PayeesFile.to_domain)


class FileProviderPayees:
    def __init__(self, path: Path | None = None) -> None:
        self.path = path

    async def load(self) -> ProviderPayees:
        return parse_provider_payees(await asyncio.to_thread(self._text))

    def _text(self) -> str:
        if self.path is None:
            return packaged_text("payments.payees", PROVIDER_PAYEES)
        try:
            return self.path.read_text(encoding="utf-8")
        except FileNotFoundError:
            raise FileNotFoundError(f"provider payees file {self.path} does not exist") from None
