"""What one batch of a payment run does to each due payment, in memory: ledger journals, the
payment's new state, the bank instruction and the events (the repository writes them all in the
batch's one transaction).

First time a period is sent: its entitlement is accrued; the managed part of the person's care
plan is owed to its providers (paid once per run and provider, after the batches:
domain/provider_payments.py); any planned overpayment recovery is taken from the person's own
share (oldest overpayment first), then any contribution the person owes for earlier periods
(domain/contributions.py), and the rest is sent to the person. A retry (after a rejection)
sends the same net again under the same instruction id; only the "issued" journal is new (keyed
by attempt).
"""

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from uuid import UUID

from payments.domain.bank_details import COOLING_OFF
from payments.domain.calculation import StatementLine
from payments.domain.contributions import OpenContribution, collect, collectable, collection_line
from payments.domain.events import (
    CareElementAwarded,
    ContributionCollected,
    OverpaymentRecovered,
    PaymentDue,
    PaymentIssued,
    StatementIssued,
)
from payments.domain.instructions import PaymentInstruction, bacs_reference
from payments.domain.invoices import Invoice, InvoiceTerms, invoice_contribution
from payments.domain.ledger import (
    Posted,
    contribution_collected,
    journal_id,
    overpayment_recovered,
    payment_issued,
    period_award_accrued,
)
from payments.domain.managed import ManagedCare, ManagedServices, split_award
from payments.domain.managed_care import (
    Contribution,
    PeriodOfCare,
    ProviderLineDue,
    managed_care_lines,
    owe_providers,
)
from payments.domain.providers import NO_PAYEES, ProviderPayees
from payments.domain.records import PaymentRun

NO_BANK_ACCOUNT = "no bank account on file"
RECOVERY = "Overpayment recovery"


@dataclass(frozen=True, slots=True)
class DuePayment:
    """A scheduled payment due by the run date, with what sending it needs."""

    instruction_id: UUID
    award_id: str
    person_id: str
    kind: str
    period_start: date
    period_end: date
    due_date: date
    amount_pence: int
    entitlement_pence: int
    """What the payment is worth before recovery (for a period, its net monthly amount)."""
    recovery_pence: int
    attempts: int
    accrued_entitlement_pence: int | None
    lines: tuple[StatementLine, ...]
    uc_claim_id: str | None
    uc_closed_on: date | None
    payee_name: str | None
    sort_code: str | None
    account_number: str | None
    managed: ManagedServices | None = None
    """The person's care plan arrangement when the payment is made."""
    cooling_off_until: date | None = None
    """New bank details' cooling-off: nothing is paid to them before (domain/bank_details.py)."""

    def hold_reason(self, run_date: date) -> str | None:
        """Why the person's money cannot be sent on `run_date` (None: it can)."""
        if self.payee_name is None:
            return NO_BANK_ACCOUNT
        if self.cooling_off_until is not None and run_date < self.cooling_off_until:
            return COOLING_OFF
        return None

    @property
    def first_send(self) -> bool:
        return self.kind == "period" and self.accrued_entitlement_pence is None

    def period_of_care(self) -> PeriodOfCare:
        managed = self.managed.managed_weekly_pence if self.managed else 0
        return PeriodOfCare(
            self.instruction_id,
            self.person_id,
            self.period_start,
            self.period_end,
            self.entitlement_pence,
            managed,
        )

    def managed_care(self) -> ManagedCare | None:
        """The providers' shares of this period, the first time it is paid."""
        if self.managed is None or not self.first_send:
            return None
        return self.managed.for_period(self.entitlement_pence)


@dataclass(frozen=True, slots=True)
class OpenOverpayment:
    overpayment_id: str
    person_id: str
    outstanding_pence: int


@dataclass(frozen=True, slots=True)
class PaymentUpdate:
    """A due payment's new state once the batch commits."""

    instruction_id: UUID
    status: str
    attempts: int
    amount_pence: int
    recovery_pence: int
    accrued_entitlement_pence: int | None
    hold_reason: str | None = None
    executed_on: date | None = None
    provider_pence: int | None = None
    """Paid to providers out of the award (None: unchanged)."""
    contribution_pence: int | None = None
    collected_pence: int | None = None
    """Taken towards the person's contributions for earlier periods (None: unchanged)."""


@dataclass
class PaymentBatch:
    run: PaymentRun
    open_overpayments: dict[str, list[list]]
    payees: ProviderPayees = NO_PAYEES
    open_contributions: dict[str, list[list]] = field(default_factory=dict)
    updates: list[PaymentUpdate] = field(default_factory=list)
    journals: list[Posted] = field(default_factory=list)
    instructions: list[PaymentInstruction] = field(default_factory=list)
    events: list[object] = field(default_factory=list)
    recovered: dict[str, int] = field(default_factory=dict)
    collected: dict[str, int] = field(default_factory=dict)
    """Contribution id -> pence collected in this batch."""
    provider_lines: list[ProviderLineDue] = field(default_factory=list)
    contributions: list[Contribution] = field(default_factory=list)
    terms: InvoiceTerms | None = None
    """When a bill raised now is due (required once a contribution is raised)."""
    invoices: list[Invoice] = field(default_factory=list)
    """A bill for each contribution raised (domain/invoices.py)."""
    invoice_of: dict[str, str | None] = field(default_factory=dict)
    """Open contribution id -> its bill's reference (None: not billed)."""
    held: int = 0
    nil: int = 0
    number: int | None = None
    """The batch's number in its run, given when it is stored."""

    @property
    def total_pence(self) -> int:
        return sum(i.amount_pence for i in self.instructions)

    @property
    def file_id(self) -> str | None:
        """Its pain.001 file: one for each batch that pays anyone."""
        if self.number is None or not self.instructions:
            return None
        return f"{self.run.run_id}-B{self.number:05d}"


def plan_batch(
    due: Sequence[DuePayment],
    run: PaymentRun,
    overpayments: Sequence[OpenOverpayment],
    payees: ProviderPayees = NO_PAYEES,
    contributions: Sequence[OpenContribution] = (),
    terms: InvoiceTerms | None = None,
) -> PaymentBatch:
    """``payees``: the providers' names, for the statements of people with managed care;
    ``contributions``: what the batch's people owe for earlier periods, oldest first;
    ``terms``: when a contribution raised now is to be paid by."""
    open_by_person: dict[str, list[list]] = {}
    for o in overpayments:
        open_by_person.setdefault(o.person_id, []).append([o.overpayment_id, o.outstanding_pence])
    owed: dict[str, list[list]] = {}
    for c in contributions:
        owed.setdefault(c.person_id, []).append([c.contribution_id, c.outstanding_pence])
    batch = PaymentBatch(run, open_by_person, payees, owed, terms=terms)
    batch.invoice_of = {c.contribution_id: c.invoice_reference for c in contributions}
    for payment in due:
        _plan(batch, payment)
    return batch


def _plan(batch: PaymentBatch, due: DuePayment) -> None:
    care = due.managed_care()
    if due.amount_pence > 0 and due.hold_reason(batch.run.run_date) and care is None:
        _hold(batch, due, due.amount_pence, due.recovery_pence, None)  # nothing accrued
    elif due.first_send:
        _pay_first_time(batch, due, care)
    elif due.amount_pence == 0:
        batch.nil += 1
        batch.updates.append(_update(due.instruction_id, "nil", due.attempts, 0, 0, None))
    else:  # a retry, arrears, or released after a hold: the same amount, accrued before
        _send(batch, due, due.amount_pence, due.recovery_pence, None)


def _pay_first_time(batch: PaymentBatch, due: DuePayment, care: ManagedCare | None) -> None:
    person, instruction_id, entitlement = due.person_id, due.instruction_id, due.entitlement_pence
    if entitlement:
        entry = period_award_accrued(journal_id(instruction_id, "accrued"), person, entitlement)
        batch.journals.append(Posted(entry, "period_accrued", person, instruction_id))
    if care:
        _owe_providers(batch, due, care)
    split = split_award(entitlement, due.recovery_pence, care)
    recovery = _recover(batch, person, instruction_id, split.recovery_pence)
    net = split.to_person_pence + split.recovery_pence - recovery
    collected = _collect(batch, due, collectable(entitlement, recovery, net))
    net -= collected
    contribution = care.contribution_pence if care else 0
    paid = FirstPaid(entitlement, split.to_providers_pence, contribution, collected)
    if net == 0:
        batch.nil += 1
        batch.updates.append(_update(instruction_id, "nil", due.attempts, 0, recovery, paid))
    elif due.hold_reason(batch.run.run_date):
        _hold(batch, due, net, recovery, paid)
    else:
        _send(batch, due, net, recovery, paid)
    if net or care or collected:
        batch.events.append(_statement(batch, due, recovery, net, care, collected))
    if entitlement and due.uc_claim_id and due.uc_closed_on is None:
        batch.events.append(
            CareElementAwarded(
                person, due.uc_claim_id, due.period_start, due.period_end, entitlement
            )
        )


@dataclass(frozen=True, slots=True)
class FirstPaid:
    """What paying a period the first time records: its entitlement accrued, the part of it
    owed to providers, and the person's contribution on top."""

    entitlement_pence: int
    provider_pence: int
    contribution_pence: int
    collected_pence: int = 0


def _update(
    instruction_id: UUID,
    status: str,
    attempts: int,
    amount: int,
    recovery: int,
    paid: FirstPaid | None,
    hold_reason: str | None = None,
    executed_on: date | None = None,
) -> PaymentUpdate:
    """``paid`` None: nothing accrued now (accrued before, or not yet)."""
    return PaymentUpdate(
        instruction_id,
        status,
        attempts,
        amount,
        recovery,
        None if paid is None else paid.entitlement_pence,
        hold_reason,
        executed_on,
        None if paid is None else paid.provider_pence,
        None if paid is None else paid.contribution_pence,
        None if paid is None else paid.collected_pence,
    )


def _hold(
    batch: PaymentBatch, due: DuePayment, net: int, recovery: int, paid: FirstPaid | None
) -> None:
    """No bank account: the person's payment waits for one (PUT /people/{id}/bank-account); new
    details: it waits for their cooling-off (released by a later run, or on verification)."""
    batch.held += 1
    reason = due.hold_reason(batch.run.run_date)
    update = _update(due.instruction_id, "held", due.attempts, net, recovery, paid, reason)
    batch.updates.append(update)


def _send(
    batch: PaymentBatch, due: DuePayment, net: int, recovery: int, paid: FirstPaid | None
) -> None:
    """``paid``: what paying it the first time recorded (None for a retry)."""
    person, instruction_id, run = due.person_id, due.instruction_id, batch.run
    attempt = due.attempts + 1
    entry = payment_issued(journal_id(instruction_id, "issued", attempt), person, net)
    batch.journals.append(Posted(entry, "payment_issued", person, instruction_id))
    batch.updates.append(
        _update(instruction_id, "instructed", attempt, net, recovery, paid, None, run.run_date)
    )
    batch.instructions.append(
        PaymentInstruction(
            instruction_id,
            person,
            net,
            run.run_date,
            due.payee_name,
            due.sort_code,
            due.account_number,
            bacs_reference(due.period_start if due.first_send else None),
        )
    )
    batch.events.append(PaymentIssued(person, instruction_id, run.run_id, net, run.run_date))
    if due.attempts == 0:
        batch.events.append(
            PaymentDue(
                person,
                instruction_id,
                due.award_id,
                due.period_start,
                due.period_end,
                due.due_date,
                net,
            )
        )


def _owe_providers(batch: PaymentBatch, due: DuePayment, care: ManagedCare) -> None:
    owed = owe_providers(batch.run.run_id, due.period_of_care(), care)
    batch.journals.append(owed.journal)
    batch.provider_lines += owed.lines
    if owed.contribution is not None:
        batch.contributions.append(owed.contribution)
        batch.events.append(owed.raised)
        if batch.terms is None:
            raise ValueError("a contribution was raised but no invoice terms were given")
        # the period leaves the person nothing to take it from: billed at once
        billed = invoice_contribution(
            owed.contribution, due.period_of_care(), batch.run.run_date, batch.terms
        )
        batch.invoices.append(billed.invoice)
        batch.journals.append(billed.journal)
        batch.events.append(billed.event)


def _recover(batch: PaymentBatch, person: str, instruction_id: UUID, planned: int) -> int:
    """Take up to ``planned`` from the person's open overpayments, oldest first."""
    taken = 0
    for entry in batch.open_overpayments.get(person, []):
        overpayment_id, outstanding = entry
        amount = min(planned - taken, outstanding)
        if amount <= 0:
            continue
        entry[1] -= amount
        taken += amount
        batch.recovered[overpayment_id] = batch.recovered.get(overpayment_id, 0) + amount
        batch.events.append(OverpaymentRecovered(person, overpayment_id, amount, entry[1]))
    if taken:
        entry = overpayment_recovered(journal_id(instruction_id, "recovered"), person, taken)
        batch.journals.append(Posted(entry, "overpayment_recovered", person, instruction_id))
    return taken


def _collect(batch: PaymentBatch, due: DuePayment, limit: int) -> int:
    """Take what ``limit`` allows towards the person's open contributions, with its journal."""
    open_ = batch.open_contributions.get(due.person_id, [])
    taken = collect(open_, limit)
    left = {entry[0]: entry[1] for entry in open_}
    for contribution_id, amount in taken.items():
        batch.collected[contribution_id] = batch.collected.get(contribution_id, 0) + amount
        batch.events.append(
            ContributionCollected(
                due.person_id,
                contribution_id,
                batch.invoice_of.get(contribution_id),
                amount,
                left[contribution_id],
                batch.run.run_date,
                "payment_deduction",
            )
        )
    total = sum(taken.values())
    if total:
        invoiced = sum(a for c, a in taken.items() if batch.invoice_of.get(c))
        entry = contribution_collected(
            journal_id(due.instruction_id, "contribution collected"),
            due.person_id,
            total,
            invoiced,
        )
        batch.journals.append(
            Posted(entry, "contribution_collected", due.person_id, due.instruction_id)
        )
    return total


def _statement(
    batch: PaymentBatch,
    due: DuePayment,
    recovery: int,
    net: int,
    care: ManagedCare | None,
    collected: int = 0,
) -> StatementIssued:
    lines = due.lines
    if recovery != due.recovery_pence:  # less was left to recover than was planned
        lines = tuple(x for x in lines if x.label != RECOVERY)
        if recovery:
            lines += (StatementLine(RECOVERY, -recovery, "Repays the rest of an overpayment."),)
    if care is not None:
        lines += managed_care_lines(batch.payees, due.period_of_care(), care)
    if collected:
        outstanding = sum(e[1] for e in batch.open_contributions.get(due.person_id, []))
        lines += (collection_line(collected, outstanding),)
    return StatementIssued(
        due.person_id, str(due.instruction_id), due.period_start, due.period_end, lines, net
    )
