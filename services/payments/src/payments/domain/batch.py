"""What one batch of a payment run does to each due payment, in memory: ledger journals, the
payment's new state, the bank instruction and the events (the repository writes them all in the
batch's one transaction).

First time a period is sent: its entitlement is accrued, any planned overpayment recovery is
taken (oldest overpayment first) and the net is sent. A retry (after a rejection) sends the same
net again under the same instruction id; only the "issued" journal is new (keyed by attempt).
"""

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from uuid import UUID

from payments.domain.calculation import StatementLine
from payments.domain.events import (
    CareElementAwarded,
    OverpaymentRecovered,
    PaymentDue,
    PaymentIssued,
    StatementIssued,
)
from payments.domain.instructions import PaymentInstruction, bacs_reference
from payments.domain.ledger import (
    Posted,
    journal_id,
    overpayment_recovered,
    payment_issued,
    period_award_accrued,
)
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

    @property
    def first_send(self) -> bool:
        return self.kind == "period" and self.accrued_entitlement_pence is None


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


@dataclass
class PaymentBatch:
    run: PaymentRun
    open_overpayments: dict[str, list[list]]
    updates: list[PaymentUpdate] = field(default_factory=list)
    journals: list[Posted] = field(default_factory=list)
    instructions: list[PaymentInstruction] = field(default_factory=list)
    events: list[object] = field(default_factory=list)
    recovered: dict[str, int] = field(default_factory=dict)
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
    due: Sequence[DuePayment], run: PaymentRun, overpayments: Sequence[OpenOverpayment]
) -> PaymentBatch:
    open_by_person: dict[str, list[list]] = {}
    for o in overpayments:
        open_by_person.setdefault(o.person_id, []).append([o.overpayment_id, o.outstanding_pence])
    batch = PaymentBatch(run, open_by_person)
    for payment in due:
        _plan(batch, payment)
    return batch


def _plan(batch: PaymentBatch, due: DuePayment) -> None:
    person, instruction_id = due.person_id, due.instruction_id
    if due.amount_pence > 0 and due.payee_name is None:
        batch.held += 1
        batch.updates.append(
            PaymentUpdate(
                instruction_id,
                "held",
                due.attempts,
                due.amount_pence,
                due.recovery_pence,
                None,
                NO_BANK_ACCOUNT,
            )
        )
        return
    first, net, recovery = due.first_send, due.amount_pence, 0
    if first:
        if due.entitlement_pence:
            entry = period_award_accrued(
                journal_id(instruction_id, "accrued"), person, due.entitlement_pence
            )
            batch.journals.append(Posted(entry, "period_accrued", person, instruction_id))
        recovery = _recover(batch, person, instruction_id, due.recovery_pence)
        net = due.entitlement_pence - recovery
    accrued = due.entitlement_pence if first else None
    if net == 0:
        batch.nil += 1
        batch.updates.append(
            PaymentUpdate(instruction_id, "nil", due.attempts, 0, recovery, accrued)
        )
        return
    _send(batch, due, net, recovery if first else due.recovery_pence, accrued)


def _send(
    batch: PaymentBatch, due: DuePayment, net: int, recovery: int, accrued: int | None
) -> None:
    person, instruction_id, run = due.person_id, due.instruction_id, batch.run
    attempt = due.attempts + 1
    entry = payment_issued(journal_id(instruction_id, "issued", attempt), person, net)
    batch.journals.append(Posted(entry, "payment_issued", person, instruction_id))
    batch.updates.append(
        PaymentUpdate(
            instruction_id, "instructed", attempt, net, recovery, accrued, executed_on=run.run_date
        )
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
    if due.first_send:
        batch.events.append(_statement(due, recovery, net))
        if due.uc_claim_id and due.uc_closed_on is None:
            batch.events.append(
                CareElementAwarded(
                    person, due.uc_claim_id, due.period_start, due.period_end, due.entitlement_pence
                )
            )


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


def _statement(due: DuePayment, recovery: int, net: int) -> StatementIssued:
    lines = due.lines
    if recovery != due.recovery_pence:  # less was left to recover than was planned
        lines = tuple(x for x in lines if x.label != RECOVERY)
        if recovery:
            lines += (StatementLine(RECOVERY, -recovery, "Repays the rest of an overpayment."),)
    return StatementIssued(
        due.person_id, str(due.instruction_id), due.period_start, due.period_end, lines, net
    )
