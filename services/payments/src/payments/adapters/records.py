"""Rows the service layer reads and writes through the repository."""

from dataclasses import dataclass
from datetime import date
from uuid import UUID


@dataclass
class Award:
    award_id: str
    person_id: str
    first_day: date
    uc_claim_id: str | None
    next_period_start: date | None = None


@dataclass(frozen=True)
class AccruedPeriod:
    """A period whose entitlement has been recognised in the ledger (paid or being paid)."""

    period_start: date
    period_end: date
    accrued_entitlement_pence: int


@dataclass(frozen=True)
class Adjustment:
    """A one-off payment of arrears, paid in the next run."""

    instruction_id: UUID
    award_id: str
    person_id: str
    period_start: date
    period_end: date
    due_date: date
    amount_pence: int
    statement: dict


@dataclass(frozen=True)
class UcClaim:
    uc_claim_id: str
    first_period_start: date
    closed_on: date | None = None
