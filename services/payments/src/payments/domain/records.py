"""What payments stores, as the service layer and the read API see it (adapters map the rows)."""

from dataclasses import dataclass, field, replace
from datetime import date, datetime
from uuid import UUID

from payments.domain.calculation import StatementLine
from payments.domain.errors import UcClaimRefused
from payments.domain.instructions import RemittanceLine
from payments.domain.managed import ManagedServices


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
    cause: str
    lines: tuple[StatementLine, ...]


@dataclass(frozen=True)
class UcClaim:
    """A person's Universal Credit claim, as the benefits system told us ("tell us once")."""

    uc_claim_id: str
    first_period_start: date
    closed_on: date | None = None

    @classmethod
    def opened(cls, uc_claim_id: str, start_day: int, first_period_start: date) -> "UcClaim":
        if first_period_start.day != start_day:
            raise UcClaimRefused(
                f"UC claim {uc_claim_id}: assessment periods start on day {start_day} but the "
                f"first began on {first_period_start} (UC Regs reg 21: the same day)"
            )
        return cls(uc_claim_id, first_period_start)

    @property
    def is_closed(self) -> bool:
        return self.closed_on is not None

    def closed(self, closed_on: date) -> "UcClaim":
        return replace(self, closed_on=closed_on)


def known_claim(claim: UcClaim | None, uc_claim_id: str, what: str = "known") -> UcClaim:
    """The person's claim, if it is the one an event names; otherwise the event is refused."""
    if claim is None or claim.uc_claim_id != uc_claim_id:
        raise UcClaimRefused(f"UC claim {uc_claim_id} is not {what} for this person")
    return claim


@dataclass
class PaymentRun:
    run_id: str
    run_date: date
    status: str = "in_progress"
    batches: int = 0
    instructed: int = 0
    held: int = 0
    nil: int = 0
    total_pence: int = 0
    provider_payments: int = 0
    """Credit transfers to providers for managed care (in `files` too)."""
    provider_held: int = 0
    provider_total_pence: int = 0
    started_by: str | None = None
    approved_by: str | None = None
    """The second payments officer who released its bank files (None: not released yet)."""
    approved_at: datetime | None = None
    outcome: str = "created"
    """created, resumed (an unfinished run carried on) or already_completed (nothing to do)."""
    files: list["BankFileSummary"] = field(default_factory=list)
    provider_payment_list: list["ProviderPaymentSummary"] = field(default_factory=list)

    @property
    def released(self) -> bool:
        """Its bank files may go to the bank (domain/run_approval.py)."""
        return self.approved_by is not None


@dataclass(frozen=True)
class ProviderPaymentSummary:
    instruction_id: UUID
    run_id: str
    provider_id: str
    amount_pence: int
    people: int
    status: str
    attempts: int
    hold_reason: str | None
    file_id: str | None


@dataclass(frozen=True)
class RemittanceAdvice:
    payment: ProviderPaymentSummary
    lines: tuple["RemittanceLine", ...]


@dataclass(frozen=True)
class BankFileSummary:
    """One pain.001 file of a run (one per batch that paid anyone)."""

    file_id: str
    batch_no: int
    transactions: int
    total_pence: int


@dataclass(frozen=True)
class StoredStatement:
    """What a scheduled payment is made of, line by line (a period's, or an adjustment's)."""

    lines: tuple[StatementLine, ...]
    net_pence: int
    net_monthly_pence: int | None = None
    """For a period: what the award pays for it before recovery. None for arrears."""
    recovery_pence: int = 0
    rule_set_id: str | None = None
    decision_version: int | None = None
    cause: str | None = None
    """For arrears: what changed the award."""


@dataclass(frozen=True)
class PaidToProvider:
    """One provider's share of a period that has been paid."""

    provider_id: str
    amount_pence: int
    contribution_pence: int


@dataclass(frozen=True)
class ScheduledPayment:
    """One payment of a person's schedule: a period's, or arrears."""

    instruction_id: UUID
    kind: str
    period_start: date
    period_end: date
    due_date: date
    amount_pence: int
    recovery_pence: int
    status: str
    hold_reason: str | None
    executed_on: date | None
    attempts: int
    statement: StoredStatement
    accrued: bool = False
    """Paid (its entitlement recognised); until then its split is only planned."""
    provider_pence: int = 0
    contribution_pence: int = 0
    providers: tuple[PaidToProvider, ...] = ()


@dataclass(frozen=True)
class PaymentsOfPerson:
    """Everything the person's payments page shows."""

    person_id: str
    award_id: str
    first_day: date
    aligned_to_universal_credit: bool
    net_monthly_pence: int
    payments: tuple[ScheduledPayment, ...]
    owed_to_you_pence: int
    overpayment_outstanding_pence: int
    managed_services: ManagedServices | None
    contribution_outstanding_pence: int = 0
    invoices: tuple["InvoiceView", ...] = ()
    contribution_credit_pence: int = 0

    def next_payment(self, today: date) -> ScheduledPayment | None:
        upcoming = (
            p
            for p in self.payments
            if p.due_date >= today and p.status == "scheduled" and p.amount_pence
        )
        return next(upcoming, None)


@dataclass(frozen=True)
class LedgerPosting:
    seq: int
    journal_id: UUID
    kind: str
    account: str
    instruction_id: UUID | None
    debit_pence: int
    credit_pence: int
    running_balance_pence: int
    posted_at: datetime


@dataclass(frozen=True)
class ReconciliationCheck:
    check: str
    rule: str
    violations: tuple[dict[str, object], ...]

    @property
    def ok(self) -> bool:
        return not self.violations


@dataclass(frozen=True)
class AccountBalance:
    account: str
    debits_pence: int
    credits_pence: int
    balance_pence: int


@dataclass(frozen=True)
class Reconciliation:
    """The proofs that the ledger balances and agrees with the schedule (one snapshot)."""

    checks: tuple[ReconciliationCheck, ...]
    accounts: tuple[AccountBalance, ...]
    outbox_pending: int

    @property
    def balanced(self) -> bool:
        return all(c.ok for c in self.checks)


@dataclass(frozen=True)
class InvoiceView:
    """A contribution's bill as the person's page shows it."""

    invoice_reference: str
    contribution_id: str
    period_start: date
    period_end: date
    amount_pence: int
    paid_pence: int
    outstanding_pence: int
    issued_on: date
    due_on: date
