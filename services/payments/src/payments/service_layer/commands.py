"""What callers ask payments to do (entrypoints build these from a request or an event)."""

from dataclasses import dataclass
from datetime import date

from payments.domain.awards import Decision
from payments.domain.managed import ManagedServices
from payments.domain.stated_award import StatedAward


@dataclass(frozen=True)
class RecordDecision:
    person_id: str
    decision: Decision
    stated: StatedAward | None = None
    """The decision's figures as it states them, checked before anything is recorded."""


@dataclass(frozen=True)
class RecordUcClaimOpened:
    person_id: str
    event_id: str
    uc_claim_id: str
    assessment_period_start_day: int
    first_period_start: date


@dataclass(frozen=True)
class RecordUcClaimClosed:
    person_id: str
    uc_claim_id: str
    closed_on: date


@dataclass(frozen=True)
class RecordUcPeriodAssessed:
    person_id: str
    event_id: str
    uc_claim_id: str
    period_start: date
    period_end: date
    capital_pence: int
    unearned_income_pence: int
    earned_income_pence: int


@dataclass(frozen=True)
class RecordManagedServices:
    person_id: str
    event_id: str
    arrangement: ManagedServices


@dataclass(frozen=True)
class SetBankAccount:
    person_id: str
    payee_name: str
    sort_code: str
    account_number: str


@dataclass(frozen=True)
class StartPaymentRun:
    """Pay everything due on or before ``run_date`` (or resume the unfinished run for it)."""

    run_date: date


@dataclass(frozen=True)
class ApplyBankResponse:
    """A bank's pain.002 or CSV response file, as received."""

    body: bytes
