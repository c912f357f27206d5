"""What happened, as payments' aggregates record it (adapters/outbound.py publishes each one).

Every event names the person it is about (events are keyed by person)."""

from dataclasses import dataclass
from datetime import date
from uuid import UUID

from payments.domain.calculation import StatementLine
from payments.domain.schedule import PlannedPayment


@dataclass(frozen=True, slots=True)
class PaymentScheduleSet:
    """An award's schedule was made (``previous_decision_id`` None) or changed."""

    person_id: str
    award_id: str
    decision_id: str
    decision_version: int
    net_monthly_pence: int
    first_period_start: date
    aligned_to_universal_credit: bool
    upcoming: tuple[PlannedPayment, ...]
    previous_decision_id: str | None


@dataclass(frozen=True, slots=True)
class StatementIssued:
    person_id: str
    statement_id: str
    period_start: date
    period_end: date
    lines: tuple[StatementLine, ...]
    net_pence: int


@dataclass(frozen=True, slots=True)
class OverpaymentRaised:
    person_id: str
    overpayment_id: str
    amount_pence: int
    reason: str
    recovery_per_period_pence: int


@dataclass(frozen=True, slots=True)
class OverpaymentRecovered:
    person_id: str
    overpayment_id: str
    amount_pence: int
    outstanding_pence: int


@dataclass(frozen=True, slots=True)
class PaymentDue:
    person_id: str
    instruction_id: UUID
    award_id: str
    period_start: date
    period_end: date
    due_date: date
    amount_pence: int


@dataclass(frozen=True, slots=True)
class PaymentIssued:
    person_id: str
    instruction_id: UUID
    run_id: str
    amount_pence: int
    paid_on: date


@dataclass(frozen=True, slots=True)
class PaymentFailed:
    person_id: str
    instruction_id: UUID
    status: str
    reason_code: str | None
    reason: str
    amount_pence: int
    action: str


@dataclass(frozen=True, slots=True)
class CareElementAwarded:
    """For the benefits system: the care element to show alongside a UC award."""

    person_id: str
    uc_claim_id: str
    period_start: date
    period_end: date
    amount_pence: int


@dataclass(frozen=True, slots=True)
class ContributionRaised:
    """The period's award was less than the managed care its providers were paid for: the
    person owes the difference as their contribution (for notifications to tell them)."""

    person_id: str
    contribution_id: str
    instruction_id: UUID
    period_start: date
    period_end: date
    amount_pence: int
    award_pence: int
    managed_care_pence: int
    reason: str


@dataclass(frozen=True, slots=True)
class ContributionInvoiced:
    """A contribution was billed (domain/invoices.py), for notifications to send the bill."""

    person_id: str
    contribution_id: str
    invoice_reference: str
    period_start: date
    period_end: date
    amount_pence: int
    issued_on: date
    due_on: date


@dataclass(frozen=True, slots=True)
class ContributionCollected:
    """Money towards a contribution: taken from a payment, or received against its invoice."""

    person_id: str
    contribution_id: str
    invoice_reference: str | None
    amount_pence: int
    outstanding_pence: int
    collected_on: date
    collected_by: str
    """"payment_deduction" or "bank_transfer"."""
    credit_pence: int = 0
