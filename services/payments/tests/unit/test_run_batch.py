"""One batch of a payment run, in memory: journals, row states, instructions, events."""

import uuid
from datetime import date

from payments.adapters.outbound import to_contract_events
from payments.domain.batch import NO_BANK_ACCOUNT, DuePayment, OpenOverpayment, PaymentBatch
from payments.domain.batch import plan_batch as plan_in_memory
from payments.domain.calculation import StatementLine
from payments.domain.ledger import account_balances, overpayment_receivable, person_payable
from payments.domain.records import PaymentRun

RUN = PaymentRun("PR20250616-01", date(2025, 6, 16))
STATEMENT = (
    StatementLine("Daily living", 47_840, "x"),
    StatementLine("Overpayment recovery", -5_000, "y"),
)


def row(person: str = "p1", **changes) -> DuePayment:
    values = {
        "instruction_id": uuid.uuid4(),
        "award_id": "AW1",
        "person_id": person,
        "kind": "period",
        "period_start": date(2025, 5, 10),
        "period_end": date(2025, 6, 9),
        "due_date": date(2025, 6, 16),
        "amount_pence": 47_840,
        "entitlement_pence": 47_840,
        "recovery_pence": 0,
        "attempts": 0,
        "accrued_entitlement_pence": None,
        "lines": STATEMENT,
        "uc_claim_id": None,
        "uc_closed_on": None,
        "payee_name": "Ada",
        "sort_code": "404784",
        "account_number": "12345678",
    }
    return DuePayment(**{**values, **changes})


def plan_batch(due: list[DuePayment], run: PaymentRun, overpayments: list[dict]) -> PaymentBatch:
    """The batch, with its events as they are published."""
    batch = plan_in_memory(due, run, [OpenOverpayment(**o) for o in overpayments])
    batch.events = list(to_contract_events(batch))
    return batch


def types(plan: PaymentBatch) -> list[str]:
    return [e.type.rsplit(".", 2)[-2] for e in plan.events]


def test_a_first_payment_is_accrued_and_sent_with_its_events():
    plan = plan_batch([row(uc_claim_id="UC1")], RUN, [])
    assert [j.kind for j in plan.journals] == ["period_accrued", "payment_issued"]
    assert account_balances([j.entry for j in plan.journals])[person_payable("p1")] == 0
    assert plan.updates[0].status == "instructed" and plan.updates[0].attempts == 1
    assert plan.instructions[0].reference == "CARE BENEFIT 0525"
    assert types(plan) == [
        "payment_issued",
        "payment_due",
        "statement_issued",
        "care_element_awarded",
    ]


def test_a_retry_only_sends_again():
    plan = plan_batch([row(attempts=1, accrued_entitlement_pence=47_840)], RUN, [])
    assert [j.kind for j in plan.journals] == ["payment_issued"]
    assert plan.updates[0].attempts == 2 and types(plan) == ["payment_issued"]


def test_recovery_takes_the_oldest_overpayment_first_and_never_more_than_is_owed():
    due = row(amount_pence=42_840, recovery_pence=5_000)
    plan = plan_batch(
        [due],
        RUN,
        [
            {"overpayment_id": "OP1", "person_id": "p1", "outstanding_pence": 3_000},
            {"overpayment_id": "OP2", "person_id": "p1", "outstanding_pence": 9_000},
        ],
    )
    assert plan.recovered == {"OP1": 3_000, "OP2": 2_000}
    assert plan.instructions[0].amount_pence == 42_840
    balances = account_balances([j.entry for j in plan.journals])
    assert balances[overpayment_receivable("p1")] == -5_000
    short = plan_batch(
        [due], RUN, [{"overpayment_id": "OP1", "person_id": "p1", "outstanding_pence": 1_000}]
    )
    assert short.instructions[0].amount_pence == 46_840  # only £10 was left to recover
    statement = [e for e in short.events if e.type.endswith("statement_issued.v1")][0].data
    assert statement.net_pence == 46_840 == sum(x.amount_pence for x in statement.lines)


def test_no_bank_account_holds_without_accruing_and_nothing_due_is_closed():
    plan = plan_batch(
        [row(payee_name=None), row(person="p2", amount_pence=0, entitlement_pence=0)], RUN, []
    )
    held, nil = plan.updates
    assert (held.status, held.hold_reason, held.accrued_entitlement_pence) == (
        "held",
        NO_BANK_ACCOUNT,
        None,
    )
    assert nil.status == "nil" and plan.journals == [] and plan.instructions == []
