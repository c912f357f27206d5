"""What one batch of a payment run does to each due payment (computed in memory, written by the
caller in one transaction): ledger journals, the row's new state, the bank instruction, events.

First time a period is sent: its entitlement is accrued, any planned overpayment recovery is
taken (oldest overpayment first) and the net is sent. A retry (after a rejection) sends the same
net again under the same instruction id; only the "issued" journal is new (keyed by attempt).
"""

import json
from dataclasses import dataclass, field
from typing import Any

from payments.adapters import outbound
from payments.adapters.ledger_store import Posted
from payments.adapters.run_store import RowUpdate, Run
from payments.domain import ledger
from payments.domain.instructions import PaymentInstruction, bacs_reference

NO_BANK_ACCOUNT = "no bank account on file"


@dataclass
class BatchPlan:
    run: Run
    open_overpayments: dict[str, list[list[Any]]]
    updates: list[RowUpdate] = field(default_factory=list)
    journals: list[Posted] = field(default_factory=list)
    instructions: list[PaymentInstruction] = field(default_factory=list)
    events: list[Any] = field(default_factory=list)
    recovered: dict[str, int] = field(default_factory=dict)
    held: int = 0
    nil: int = 0

    @property
    def total_pence(self) -> int:
        return sum(i.amount_pence for i in self.instructions)


def plan_batch(rows: list[Any], run: Run, overpayments: list[Any]) -> BatchPlan:
    open_by_person: dict[str, list[list[Any]]] = {}
    for o in overpayments:
        open_by_person.setdefault(o["person_id"], []).append(
            [o["overpayment_id"], o["outstanding_pence"]])
    plan = BatchPlan(run, open_by_person)
    for row in rows:
        _plan_row(plan, row)
    return plan


def _plan_row(plan: BatchPlan, row: Any) -> None:
    person, instruction_id = row["person_id"], row["instruction_id"]
    first = row["kind"] == "period" and row["accrued_entitlement_pence"] is None
    attempt = row["attempts"] + 1
    if row["amount_pence"] > 0 and row["payee_name"] is None:
        plan.held += 1
        plan.updates.append(RowUpdate(instruction_id, "held", row["attempts"], row["amount_pence"],
                                      row["recovery_pence"], None, NO_BANK_ACCOUNT))
        return
    entitlement, recovery, net = row["entitlement_pence"], 0, row["amount_pence"]
    if first:
        if entitlement:
            plan.journals.append(Posted(ledger.period_award_accrued(
                ledger.journal_id(instruction_id, "accrued"), person, entitlement),
                "period_accrued", person, instruction_id))
        recovery = _recover(plan, person, instruction_id, row["recovery_pence"])
        net = entitlement - recovery
    accrued = entitlement if first else None
    if net == 0:
        plan.nil += 1
        plan.updates.append(RowUpdate(instruction_id, "nil", row["attempts"], 0, recovery, accrued))
        return
    run = plan.run
    plan.journals.append(Posted(ledger.payment_issued(
        ledger.journal_id(instruction_id, "issued", attempt), person, net),
        "payment_issued", person, instruction_id))
    plan.updates.append(RowUpdate(instruction_id, "instructed", attempt, net,
                                  recovery if first else row["recovery_pence"], accrued,
                                  executed_on=run.run_date))
    plan.instructions.append(PaymentInstruction(
        instruction_id, person, net, run.run_date, row["payee_name"], row["sort_code"],
        row["account_number"], bacs_reference(row["period_start"] if first else None)))
    plan.events.append(outbound.payment_issued(person, instruction_id, run.run_id, net,
                                               run.run_date))
    if row["attempts"] == 0:
        plan.events.append(outbound.payment_due(row, net))
    if first:
        plan.events.append(_statement(row, recovery, net))
        if row["uc_claim_id"] and row["uc_closed_on"] is None:
            plan.events.append(outbound.care_element_awarded(row, entitlement))


def _recover(plan: BatchPlan, person: str, instruction_id: Any, planned: int) -> int:
    """Take up to ``planned`` from the person's open overpayments, oldest first."""
    taken = 0
    for entry in plan.open_overpayments.get(person, []):
        overpayment_id, outstanding = entry
        amount = min(planned - taken, outstanding)
        if amount <= 0:
            continue
        entry[1] -= amount
        taken += amount
        plan.recovered[overpayment_id] = plan.recovered.get(overpayment_id, 0) + amount
        plan.events.append(outbound.overpayment_recovered(person, overpayment_id, amount,
                                                          entry[1]))
    if taken:
        plan.journals.append(Posted(ledger.overpayment_recovered(
            ledger.journal_id(instruction_id, "recovered"), person, taken),
            "overpayment_recovered", person, instruction_id))
    return taken


def _statement(row: Any, recovery: int, net: int) -> Any:
    statement = json.loads(row["statement"])
    lines = [(x["label"], x["amount_pence"], x["explanation"]) for x in statement["lines"]]
    if recovery != row["recovery_pence"]:  # less was left to recover than was planned
        lines = [x for x in lines if x[0] != "Overpayment recovery"]
        if recovery:
            lines.append(("Overpayment recovery", -recovery, "Repays the rest of an overpayment."))
    return outbound.statement_issued(row["person_id"], str(row["instruction_id"]),
                                     row["period_start"], row["period_end"], lines, net)
