"""The payments service's read API (built in its `entrypoints/views.py`)."""

from datetime import date, datetime
from typing import Any, Literal

from pydantic import BaseModel, Field

from contracts.api.base import ReadModel

SERVICE = "payments"
PaymentKind = Literal["period", "arrears"]
PaymentStatus = Literal["scheduled", "instructed", "paid", "held", "nil"]


class StatementLine(ReadModel):
    label: str
    amount_pence: int
    explanation: str


class PaymentStatement(ReadModel):
    """What a payment is made of, line by line; the lines add up to `net_pence`."""

    lines: list[StatementLine]
    net_pence: int
    net_monthly_pence: int | None = Field(
        None, description="For a period: what the award pays for it before any recovery"
    )
    recovery_pence: int = 0
    rule_set_id: str | None = None
    decision_version: int | None = None
    cause: str | None = Field(None, description="For arrears: what changed the award")


class ScheduledPayment(ReadModel):
    instruction_id: str
    kind: PaymentKind
    period_start: date
    period_end: date
    due_date: date
    amount_pence: int = Field(description="What this payment sends, after any recovery")
    recovery_pence: int
    status: PaymentStatus
    hold_reason: str | None = None
    executed_on: date | None = None
    attempts: int
    statement: PaymentStatement


class ProviderLine(ReadModel):
    service_code: str
    provider_id: str
    description: str
    units_per_week: int
    unit_rate_pence: int
    weekly_cost_pence: int


class ManagedServicesSplit(ReadModel):
    """The part of the budget the scheme pays providers and the direct payment that stays with
    the person; the two add up to the budget, weekly and monthly."""

    plan_id: str
    plan_version: int
    weekly_budget_pence: int
    paid_to_providers_weekly_pence: int
    paid_to_providers_monthly_pence: int
    direct_payment_weekly_pence: int
    direct_payment_monthly_pence: int
    top_up_weekly_pence: int
    providers: list[ProviderLine]


class PersonPayments(ReadModel):
    """GET /people/{person_id}/payments: the person's award, schedule and balances."""

    person_id: str
    award_id: str
    first_day: date
    aligned_to_universal_credit: bool
    net_monthly_pence: int = Field(description="What the latest decision pays a month")
    next_payment: ScheduledPayment | None
    owed_to_you_pence: int
    overpayment_outstanding_pence: int
    payments: list[ScheduledPayment]
    managed_services: ManagedServicesSplit | None = Field(
        None, description="None when there is no agreed care plan (or it ended)"
    )


class LedgerPosting(ReadModel):
    seq: int
    journal_id: str
    kind: str
    account: str
    instruction_id: str | None
    debit_pence: int
    credit_pence: int
    running_balance_pence: int
    posted_at: datetime


class PersonLedger(ReadModel):
    """GET /people/{person_id}/ledger: the person's accounts, posting by posting."""

    person_id: str
    postings: list[LedgerPosting]


class BankFile(ReadModel):
    file_id: str
    batch_no: int
    transactions: int
    total_pence: int


class PaymentRun(ReadModel):
    """POST /payment-runs and GET /payment-runs/{run_id}."""

    run_id: str
    run_date: date
    status: Literal["in_progress", "completed"]
    batches: int
    instructed: int
    held: int
    nil: int
    total_pence: int
    outcome: Literal["created", "resumed", "already_completed"] | None = Field(
        None, description="What the request did (POST only)"
    )
    files: list[str] = Field(description="The run's pain.001 file ids, one per batch paying")
    bank_files: list[BankFile]


class ReconciliationCheck(ReadModel):
    check: str
    rule: str
    ok: bool
    violations: list[dict[str, Any]] = Field(description="The rows that break it (at most 20)")


class AccountBalance(ReadModel):
    account: str
    debits_pence: int
    credits_pence: int
    balance_pence: int


class Reconciliation(ReadModel):
    """GET /ops/reconciliation: proofs that the ledger balances and agrees with the schedule."""

    balanced: bool
    checks: list[ReconciliationCheck]
    accounts: list[AccountBalance]
    outbox_pending: int


class BankResponseApplied(ReadModel):
    """POST /bank-responses: what the file did, line by line outcomes counted."""

    sha256: str
    lines: int
    duplicate: bool
    paid: int = 0
    retry: int = 0
    held: int = 0
    pending: int = 0
    unchanged: int = 0


class BankAccountSet(ReadModel):
    """PUT /people/{person_id}/bank-account: the held payments the new details released."""

    person_id: str
    released: list[str]


READ_MODELS: tuple[type[BaseModel], ...] = (
    PersonPayments,
    PersonLedger,
    PaymentRun,
    Reconciliation,
    BankResponseApplied,
    BankAccountSet,
)
