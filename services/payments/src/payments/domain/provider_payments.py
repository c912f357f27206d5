"""Paying providers for the managed care of a payment run, in memory (the repository stores it
in one transaction, after the run's batches).

Each run makes ONE credit transfer per provider, for every person whose managed care the
provider delivers: its amount is the sum of the run's remittance lines for that provider (one
line per person and period, domain/batch.py), and its remittance advice lists them. A provider
payment the bank rejected for a passing reason is sent again in the next run under the same id;
one held (no bank details, or details the bank refused) is sent again once the provider's bank
details in force change (a new entry in payees/provider-payees.yaml).
"""

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from uuid import UUID

from payments.domain.instructions import PaymentInstruction, RemittanceLine, provider_reference
from payments.domain.ledger import Posted, journal_id, provider_payment_issued
from payments.domain.providers import ProviderPayee, ProviderPayees
from payments.domain.records import PaymentRun

NO_PROVIDER_PAYEE = "no bank details on file for this provider"


@dataclass(frozen=True, slots=True)
class ProviderPayment:
    """A provider payment: new in this run (``is_new``), to retry ("scheduled"), held until the
    provider's bank details change ("held"), or sent ("instructed")."""

    instruction_id: UUID
    provider_id: str
    amount_pence: int
    status: str
    attempts: int
    payee_ref: str | None
    """The bank details entry it was last sent to (provider@date)."""
    hold_reason: str | None
    lines: tuple[RemittanceLine, ...] = ()
    """Its remittance lines, when loaded: a run loads them file by file (line_count says how
    many there are before)."""
    is_new: bool = False
    executed_on: date | None = None
    line_count: int = 0


@dataclass
class ProviderBatch:
    run: PaymentRun
    updates: list[ProviderPayment] = field(default_factory=list)
    journals: list[Posted] = field(default_factory=list)
    instructions: list[PaymentInstruction] = field(default_factory=list)
    number: int | None = None

    @property
    def total_pence(self) -> int:
        return sum(i.amount_pence for i in self.instructions)

    @property
    def held(self) -> int:
        return sum(1 for u in self.updates if u.status == "held")

    @property
    def file_id(self) -> str | None:
        if self.number is None or not self.instructions:
            return None
        return f"{self.run.run_id}-P{self.number:05d}"


def plan_provider_payments(
    run: PaymentRun, due: Sequence[ProviderPayment], payees: ProviderPayees
) -> ProviderBatch:
    batch = ProviderBatch(run)
    for payment in due:
        payee = payees.payee(payment.provider_id, run.run_date)
        if payment.status == "held" and (payee.ref if payee else None) == payment.payee_ref:
            continue  # still waiting for new bank details
        if payee is None:
            held = replace(payment, status="held", payee_ref=None, hold_reason=NO_PROVIDER_PAYEE)
            batch.updates.append(held)
        else:
            _send(batch, payment, payee)
    return batch


def _send(batch: ProviderBatch, payment: ProviderPayment, payee: ProviderPayee) -> None:
    run, attempt = batch.run, payment.attempts + 1
    entry = provider_payment_issued(
        journal_id(payment.instruction_id, "issued", attempt),
        payment.provider_id,
        payment.amount_pence,
    )
    batch.journals.append(
        Posted(entry, "provider_payment_issued", None, payment.instruction_id, payment.provider_id)
    )
    sent = replace(
        payment,
        status="instructed",
        attempts=attempt,
        payee_ref=payee.ref,
        hold_reason=None,
        executed_on=run.run_date,
    )
    batch.updates.append(sent)
    batch.instructions.append(
        PaymentInstruction(
            payment.instruction_id,
            payment.provider_id,
            payment.amount_pence,
            run.run_date,
            payee.account_name,
            payee.sort_code,
            payee.account_number,
            provider_reference(run.run_date),
            payment.lines,
        )
    )
