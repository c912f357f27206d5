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


class ProviderShare(ReadModel):
    provider_id: str
    amount_pence: int = Field(description="Paid to the provider for this period")
    contribution_pence: int = Field(0, description="Of which the person's contribution")


class PaymentSplit(ReadModel):
    """Who a period's award goes to when part of it pays providers for managed care."""

    to_providers_pence: int = Field(description="Paid to providers out of the award")
    to_you_pence: int = Field(description="What the person is sent")
    contribution_pence: int = Field(
        0, description="What the person owes on top, when the award is less than the managed care"
    )
    providers: list[ProviderShare]
    planned: bool = Field(
        description="True until the period is paid: worked out from the current care plan"
    )


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
    split: PaymentSplit | None = Field(
        None, description="Only when part of the award pays providers for managed care"
    )


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


class ContributionInvoice(ReadModel):
    """A bill for a contribution the person's payments could not cover."""

    invoice_reference: str
    contribution_id: str
    period_start: date
    period_end: date
    amount_pence: int
    paid_pence: int = Field(description="Paid so far: received, or taken from payments")
    outstanding_pence: int
    issued_on: date
    due_on: date


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
    contribution_outstanding_pence: int = Field(
        0, description="What the person owes towards managed care their award did not cover"
    )
    contribution_invoices: list[ContributionInvoice] = Field(
        default_factory=list, description="Bills for contributions, the newest first"
    )
    contribution_credit_pence: int = Field(
        0, description="Paid over what the person's bills asked for, kept as a credit"
    )


class UcPeriodView(ReadModel):
    """What Universal Credit assessed for one of its assessment periods (monthly amounts)."""

    period_start: date
    period_end: date
    capital_pence: int
    unearned_income_pence: int
    earned_income_pence: int


class UcClaimView(ReadModel):
    """GET /people/{person_id}/uc-claim: the person's Universal Credit claim, as the benefits
    system told us, with every period it assessed (oldest first)."""

    person_id: str
    uc_claim_id: str
    assessment_period_start_day: int = Field(description="UC Regs reg 21: the same day each month")
    first_period_start: date
    closed_on: date | None
    periods: list[UcPeriodView]


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


ProviderPaymentStatus = Literal["scheduled", "instructed", "paid", "held"]


class ProviderPayment(ReadModel):
    """One credit transfer to a provider for the managed care of everyone a run paid."""

    instruction_id: str
    run_id: str = Field(description="The run whose managed care it pays")
    provider_id: str
    amount_pence: int
    people: int = Field(description="Remittance lines: one per person and period")
    status: ProviderPaymentStatus
    attempts: int
    hold_reason: str | None = None
    file_id: str | None = Field(None, description="The pain.001 file it was last sent in")


class RemittanceLine(ReadModel):
    person_id: str = Field(description="The person's reference")
    period_start: date
    period_end: date
    amount_pence: int


class RemittanceAdvice(ReadModel):
    """GET /payment-runs/{run_id}/provider-payments/{provider_id}: what a provider payment
    covers, person by person."""

    payment: ProviderPayment
    lines: list[RemittanceLine]


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
    provider_payments: list[ProviderPayment] = Field(
        default_factory=list, description="Made or sent again in this run"
    )
    provider_total_pence: int = Field(0, description="Sent to providers in this run")
    started_by: str | None = Field(
        None, description="Who started the run: a payments officer, or the scheduled job"
    )
    approved_by: str | None = Field(
        None, description="The second payments officer who released its bank files"
    )
    approved_at: datetime | None = None
    released: bool = Field(
        False,
        description="Its bank files may go to the bank: approved by a payments officer other"
        " than the one who started it (four eyes); not downloadable before",
    )


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


class IncomingPayment(ReadModel):
    """Money received in the collection account, matched to a contribution invoice by its
    reference or kept as unmatched for operations."""

    bank_transaction_id: str
    reference: str
    amount_pence: int
    received_on: date
    status: Literal["matched", "unmatched"]
    invoice_reference: str | None = None
    allocated_pence: int = Field(0, description="Taken towards the invoice")
    credit_pence: int = Field(0, description="Paid over the invoice, kept as a credit")
    duplicate: bool = Field(False, description="Recorded before (the same bank transaction)")


class IncomingPaymentsRecorded(ReadModel):
    """POST /incoming-payments: each credit, matched, unmatched or already recorded."""

    payments: list[IncomingPayment]


class UnmatchedIncomingPayments(ReadModel):
    """GET /ops/incoming-payments/unmatched: money no invoice reference matched."""

    payments: list[IncomingPayment]


class BankAccountSet(ReadModel):
    """PUT /people/{person_id}/bank-account: the held payments the new details released."""

    person_id: str
    released: list[str]
    change_id: str | None = None
    payments_held_until: date | None = Field(
        None,
        description="New details (another account): payments to them wait until this day"
        " unless a payments officer verifies them first",
    )


class BankDetailsChange(ReadModel):
    change_id: str
    changed_on: date
    changed_by: str | None = Field(
        description="The token's subject; None when a person reads a change staff made"
    )
    role: str = Field(description="person, or the staff role the change was made in")
    reason: str | None
    account: str = Field(description="The account number masked: ****1234")
    payments_held_until: date | None


class BankAccountView(ReadModel):
    """GET /people/{person_id}/bank-account: the details in use (masked) and every change."""

    person_id: str
    payee_name: str
    account: str = Field(description="The account number masked: ****1234")
    payments_held_until: date | None = Field(
        description="Payments to these details wait until this day (cooling-off)"
    )
    verified_by: str | None
    verified_at: datetime | None
    changes: list[BankDetailsChange] = Field(description="Newest first")


class BankAccountVerified(ReadModel):
    """POST /people/{person_id}/bank-account/verification."""

    person_id: str
    verified_by: str
    verified_at: datetime
    released: list[str] = Field(description="Payments that waited for the cooling-off")


class BankDetailsWaiting(ReadModel):
    person_id: str
    changed_on: date
    changed_by: str = Field(description="The token's subject of who made the change")
    role: str = Field(description="person, or the staff role the change was made in")
    payments_held_until: date


class BankDetailsCoolingOff(ReadModel):
    """GET /ops/bank-details/cooling-off: new bank details whose payments wait for their
    cooling-off, ending soonest first; a payments officer may confirm each with the person."""

    people: list[BankDetailsWaiting]


class PaymentRuns(ReadModel):
    """GET /payment-runs: the latest runs, newest first."""

    runs: list[PaymentRun]


class BankResponseTally(ReadModel):
    status: Literal["accepted", "pending", "rejected", "returned"] = Field(
        description="What the bank said"
    )
    reason: str | None = Field(description="ISO 20022 status reason code, when given")
    outcome: str = Field(description="What payments did: paid, retry, held, pending, unchanged")
    payments: int = Field(description="Response lines with this status, reason and outcome")
    amount_pence: int = Field(description="The total of those payments")


class RunBankResponses(ReadModel):
    """GET /payment-runs/{run_id}/bank-responses: the bank's answers about the payments this
    run last sent (a payment sent again by a later run counts there), by status and reason."""

    run_id: str
    responses: list[BankResponseTally]


class ManagedServicesHeld(ReadModel):
    person_id: str
    plan_id: str
    plan_version: int = Field(description="The plan version whose split payments last received")
    managed_weekly_pence: int
    direct_payment_weekly_pence: int


class ManagedServicesLookup(ReadModel):
    """POST /ops/managed-services/lookup: the managed services payments holds for the people
    asked about (none for a person it holds nothing for)."""

    held: list[ManagedServicesHeld]


READ_MODELS: tuple[type[BaseModel], ...] = (
    ManagedServicesLookup,
    PaymentRuns,
    RunBankResponses,
    PersonPayments,
    UcClaimView,
    PersonLedger,
    PaymentRun,
    Reconciliation,
    BankResponseApplied,
    BankAccountSet,
    BankAccountView,
    BankAccountVerified,
    BankDetailsCoolingOff,
    RemittanceAdvice,
    IncomingPaymentsRecorded,
    UnmatchedIncomingPayments,
)
