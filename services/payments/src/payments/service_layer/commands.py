"""What callers ask payments to do (entrypoints build these from a request or an event)."""

from dataclasses import dataclass
from datetime import date

from payments.domain.awards import Decision
from payments.domain.bank_details import Actor, BankDetails
from payments.domain.managed import ManagedServices
from payments.domain.receipts import IncomingCredit
from payments.domain.stated_award import StatedAward
from payments.domain.uc_means import UcHousehold


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
    household: UcHousehold


@dataclass(frozen=True)
class RecordManagedServices:
    person_id: str
    event_id: str
    arrangement: ManagedServices


@dataclass(frozen=True)
class SetBankAccount:
    person_id: str
    details: BankDetails
    actor: Actor
    """From the token: the person, or a payments officer."""
    reason: str | None = None
    """Why staff change them (required of staff)."""


@dataclass(frozen=True)
class VerifyBankAccount:
    person_id: str
    officer: Actor


@dataclass(frozen=True)
class StartPaymentRun:
    """Pay everything due on or before ``run_date`` (or resume the unfinished run for it)."""

    run_date: date
    started_by: str = "command-line"
    """The token's subject (a scheduled run: the job's name); never the run's approver."""


@dataclass(frozen=True)
class ApprovePaymentRun:
    """A second payments officer releases the run's bank files (four eyes)."""

    run_id: str
    approved_by: str


@dataclass(frozen=True)
class ApplyBankResponse:
    """A bank's pain.002 or CSV response file, as received."""

    body: bytes


@dataclass(frozen=True)
class RecordIncomingPayments:
    """Credits from the collection account's bank statement, recorded by an officer."""

    credits: tuple[IncomingCredit, ...]
    recorded_by: str
