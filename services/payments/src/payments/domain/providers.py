"""Who the scheme pays for the care it arranges: each provider's bank details, dated.

Providers are the catalogue's (care-plans' national provider catalogue, keyed by provider id);
their bank details are payments' own data (from the supplier set-up's file, recorded sealed in
payments' database: adapters/provider_payee_store.py). A provider's details in force on a day
are its latest entry effective on or before it. Each entry has a `ref` (provider and date): a
provider payment held for want of good details is sent again once the provider's entry in force
has a new ref.
"""

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

_SORT_CODE = re.compile(r"\d{6}")
_ACCOUNT_NUMBER = re.compile(r"\d{8}")


@dataclass(frozen=True, slots=True)
class ProviderPayee:
    provider_id: str
    name: str
    """As the catalogue names the provider (what people see on their statements)."""
    account_name: str
    sort_code: str
    account_number: str
    effective_from: date

    def __post_init__(self) -> None:
        if not self.name.strip() or not self.account_name.strip():
            raise ValueError(f"{self.provider_id}: the name and account name must not be blank")
        if not _SORT_CODE.fullmatch(self.sort_code):
            raise ValueError(f"{self.provider_id}: the sort code must be 6 digits")
        if not _ACCOUNT_NUMBER.fullmatch(self.account_number):
            raise ValueError(f"{self.provider_id}: the account number must be 8 digits")

    @property
    def ref(self) -> str:
        return f"{self.provider_id}@{self.effective_from.isoformat()}"

    def __repr__(self) -> str:  # bank details stay out of logs and tracebacks
        return f"ProviderPayee({self.ref}, {self.name!r})"


@dataclass(frozen=True)
class ProviderPayees:
    entries: tuple[ProviderPayee, ...]

    def __post_init__(self) -> None:
        keys = [(e.provider_id, e.effective_from) for e in self.entries]
        if len(keys) != len(set(keys)):
            raise ValueError("a provider has two entries from the same date")

    @classmethod
    def of(cls, entries: Iterable[ProviderPayee]) -> "ProviderPayees":
        return cls(tuple(sorted(entries, key=lambda e: (e.provider_id, e.effective_from))))

    def payee(self, provider_id: str, on: date) -> ProviderPayee | None:
        """The provider's details in force on ``on``; None if we hold none."""
        in_force = [
            e for e in self.entries if e.provider_id == provider_id and e.effective_from <= on
        ]
        return in_force[-1] if in_force else None

    def name(self, provider_id: str, on: date) -> str:
        payee = self.payee(provider_id, on)
        return payee.name if payee else f"provider {provider_id}"


NO_PAYEES = ProviderPayees(())
