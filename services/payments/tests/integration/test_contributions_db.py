"""Collecting a person's contribution to their managed care, on real PostgreSQL: raised when an
award falls short of the care its providers were paid for, then taken from the person's own
share of their later payments (at most 15% of each, with any overpayment recovery), shown on
their statement and page, and proved by the ledger after every run."""

from datetime import date

import pytest
from contracts.api.payments import PersonPayments

from ..unit.builders import decision, managed_services, support

pytestmark = pytest.mark.integration
HOME = "PRV-0001"
AWARD = 47_840  # £110.40 a week
SHORT_AWARD = 13_173  # £30.40 a week: £80 a week of means taken off
CARE = 26_000  # £60 a week of home care, a month
OWED = CARE - SHORT_AWARD  # 12,827
CAP = AWARD * 15 // 100  # 7,176: 15% of the payable award
RUNS = (date(2025, 6, 16), date(2025, 7, 16), date(2025, 8, 15))


async def page(svc) -> PersonPayments:
    return PersonPayments.model_validate((await svc.http.get("/people/p6/payments")).json())


async def pay(svc, run_date: date) -> None:
    svc.clock.today = run_date
    await svc.run(run_date, expect=201)
    await svc.reconcile()


async def collected(svc) -> list[tuple]:
    rows = await svc.pool.fetch(
        "SELECT period_start, amount_pence, provider_pence, collected_pence FROM"
        " scheduled_payments WHERE person_id = 'p6' AND collected_pence > 0 ORDER BY period_start"
    )
    return [tuple(r) for r in rows]


async def statement_of(svc, period_start: date) -> dict:
    return await svc.pool.fetchval(
        "SELECT payload->'data' FROM outbox WHERE type LIKE '%statement_issued%'"
        " AND payload->>'subject' = 'p6' AND payload->'data'->>'period_start' = $1",
        period_start.isoformat(),
    )


async def test_a_contribution_is_collected_from_later_payments_until_paid(svc) -> None:
    await svc.deliver(decision(person="p6", decision_id="d1", contribution=8_000))
    await svc.deliver(managed_services(person="p6", items=(support(HOME, 6_000),)))
    await svc.bank_account("p6")
    await pay(svc, RUNS[0])
    first = await page(svc)
    assert first.contribution_outstanding_pence == OWED
    (bill,) = first.contribution_invoices  # billed at once: the period left nothing to take
    assert (bill.amount_pence, bill.paid_pence, bill.issued_on) == (OWED, 0, RUNS[0])

    # the means change: from the second period the award is the whole £110.40 a week again
    await svc.deliver(
        decision(person="p6", decision_id="d2", version=2, effective=date(2025, 6, 10))
    )
    await pay(svc, RUNS[1])
    own_share = AWARD - CARE  # 21,840
    assert await collected(svc) == [(date(2025, 6, 10), own_share - CAP, CARE, CAP)]
    assert (await page(svc)).contribution_outstanding_pence == OWED - CAP
    (bill,) = (await page(svc)).contribution_invoices
    assert (bill.paid_pence, bill.outstanding_pence) == (CAP, OWED - CAP)  # taken: paid
    statement = await statement_of(svc, date(2025, 6, 10))
    line = statement["lines"][-1]
    assert (line["label"], line["amount_pence"]) == ("Contribution collected", -CAP)
    assert "You still owe £56.51" in line["explanation"]
    assert (
        statement["net_pence"]
        == own_share - CAP
        == sum(x["amount_pence"] for x in statement["lines"])
    )

    await pay(svc, RUNS[2])  # the rest, £56.51, is under the cap
    assert (await collected(svc))[-1] == (
        date(2025, 7, 10),
        own_share - (OWED - CAP),
        CARE,
        OWED - CAP,
    )
    assert (await page(svc)).contribution_outstanding_pence == 0
    balances = dict(
        await svc.pool.fetch(
            "SELECT account, balance_pence::bigint FROM ledger_account_balances"
            " WHERE account = 'contribution_receivable:p6'"
        )
    )
    assert balances == {"contribution_receivable:p6": 0}
    told = await svc.pool.fetch(
        "SELECT payload->'data' AS d FROM outbox WHERE type LIKE '%contribution_collected%'"
        " ORDER BY position"
    )
    assert [(t["d"]["amount_pence"], t["d"]["collected_by"]) for t in told] == [
        (CAP, "payment_deduction"),
        (OWED - CAP, "payment_deduction"),
    ]
    assert {t["d"]["invoice_reference"] for t in told} == {bill.invoice_reference}
    kinds = await svc.pool.fetch(
        "SELECT kind, sum(credit_pence)::bigint AS pence FROM ledger_postings"
        " WHERE kind = 'contribution_collected' GROUP BY kind"
    )
    assert [tuple(k) for k in kinds] == [("contribution_collected", OWED)]


async def test_the_ledger_catches_a_collection_the_contributions_do_not_show(svc) -> None:
    await svc.deliver(decision(person="p6", decision_id="d1", contribution=8_000))
    await svc.deliver(managed_services(person="p6", items=(support(HOME, 6_000),)))
    await svc.bank_account("p6")
    await pay(svc, RUNS[0])
    await svc.deliver(
        decision(person="p6", decision_id="d2", version=2, effective=date(2025, 6, 10))
    )
    await pay(svc, RUNS[1])
    await svc.pool.execute(
        "UPDATE contributions SET outstanding_pence = amount_pence WHERE person_id = 'p6'"
    )
    report = (await svc.http.get("/ops/reconciliation")).json()
    broken = {c["check"] for c in report["checks"] if not c["ok"]}
    assert broken == {
        "receivable_matches_contributions",
        "contributions_collected_match_the_ledger",
        "invoices_match_their_contributions",
    }
