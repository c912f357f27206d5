"""Billing a contribution and recording the money received against the bill, on real
PostgreSQL: the bill is raised with the contribution (its period leaves the person nothing),
shown on the person's page and in their ledger; a part payment, the same bank transaction
twice, an overpayment (kept as a credit) and money no bill matches (kept for operations) are
each recorded once, and the reconciliation holds after every step."""

from datetime import date, timedelta

import pytest
from contracts.api.payments import PersonPayments

from ..unit.builders import decision, managed_services, support

pytestmark = pytest.mark.integration
HOME = "PRV-0001"
RUN_DATE = date(2025, 6, 16)
OWED = 26_000 - 13_173  # £260 of care, an award of £131.73: £128.27 owed


async def page(svc) -> PersonPayments:
    return PersonPayments.model_validate((await svc.http.get("/people/p6/payments")).json())


async def billed(svc) -> str:
    await svc.deliver(decision(person="p6", decision_id="d1", contribution=8_000))
    await svc.deliver(managed_services(person="p6", items=(support(HOME, 6_000),)))
    svc.clock.today = RUN_DATE
    await svc.run(RUN_DATE, expect=201)
    await svc.reconcile()
    svc.clock.today = date(2025, 6, 30)  # the bank statement comes later
    (bill,) = (await page(svc)).contribution_invoices
    return bill.invoice_reference


async def receive(svc, *credits: tuple, expect: int = 200) -> list[dict]:
    body = {
        "credits": [
            {"bank_transaction_id": t, "reference": r, "amount_pence": a, "received_on": d}
            for t, r, a, d in credits
        ]
    }
    response = await svc.http.post("/incoming-payments", json=body)
    assert response.status_code == expect, response.text
    return response.json().get("payments", response.json())


def on(day: int = 20) -> str:
    return date(2025, 6, day).isoformat()


async def test_a_contribution_is_billed_with_a_reference_and_a_due_date(svc) -> None:
    reference = await billed(svc)
    (bill,) = (await page(svc)).contribution_invoices
    assert (bill.amount_pence, bill.paid_pence, bill.outstanding_pence) == (OWED, 0, OWED)
    assert (bill.issued_on, bill.due_on) == (RUN_DATE, RUN_DATE + timedelta(days=28))
    assert (bill.period_start, bill.period_end) == (date(2025, 5, 10), date(2025, 6, 9))
    invoiced = await svc.pool.fetchval(
        "SELECT payload FROM outbox WHERE type LIKE '%contribution_invoiced%'"
    )
    assert invoiced["subject"] == "p6" and invoiced["source"] == "/services/payments"
    assert invoiced["data"]["invoice_reference"] == reference
    assert (invoiced["data"]["amount_pence"], invoiced["data"]["due_on"]) == (OWED, "2025-07-14")
    ledger = (await svc.http.get("/people/p6/ledger")).json()
    kinds = {p["kind"] for p in ledger["postings"]}
    assert {"managed_care_due", "contribution_invoiced"} <= kinds
    svc.clock.today = RUN_DATE
    again = await svc.run(RUN_DATE)  # the same run again bills nothing twice
    assert again["outcome"] == "already_completed"
    assert await svc.pool.fetchval("SELECT count(*) FROM contribution_invoices") == 1


async def test_part_payment_duplicate_overpayment_and_unknown_reference(svc) -> None:
    reference = await billed(svc)
    (part,) = await receive(svc, ("TXN-1", f"care {reference}", 5_000, on()))
    assert (part["status"], part["allocated_pence"], part["credit_pence"]) == ("matched", 5_000, 0)
    bill = (await page(svc)).contribution_invoices[0]
    assert (bill.paid_pence, bill.outstanding_pence) == (5_000, OWED - 5_000)
    await svc.reconcile()

    (twice,) = await receive(svc, ("TXN-1", f"care {reference}", 5_000, on()))
    assert twice["duplicate"] and twice["allocated_pence"] == 5_000
    assert (await page(svc)).contribution_invoices[0].paid_pence == 5_000
    await svc.reconcile()

    (over,) = await receive(svc, ("TXN-2", reference.lower(), 10_000, on(21)))
    assert (over["allocated_pence"], over["credit_pence"]) == (OWED - 5_000, 10_000 - OWED + 5_000)
    after = await page(svc)
    assert after.contribution_outstanding_pence == 0
    assert after.contribution_credit_pence == 10_000 - OWED + 5_000  # kept, not lost
    assert after.contribution_invoices[0].paid_pence == OWED
    await svc.reconcile()

    (stranger,) = await receive(svc, ("TXN-3", "RENT FLAT 2", 7_500, on(22)))
    assert (stranger["status"], stranger["invoice_reference"]) == ("unmatched", None)
    unmatched = (await svc.http.get("/ops/incoming-payments/unmatched")).json()["payments"]
    assert [(u["bank_transaction_id"], u["amount_pence"]) for u in unmatched] == [("TXN-3", 7_500)]
    one = (await svc.http.get("/incoming-payments/TXN-2")).json()  # as it was recorded
    assert (one["status"], one["invoice_reference"], one["duplicate"]) == (
        "matched",
        reference,
        False,
    )
    assert (one["allocated_pence"], one["credit_pence"]) == (
        over["allocated_pence"],
        over["credit_pence"],
    )
    missing = await svc.http.get("/incoming-payments/TXN-404")
    assert (
        missing.status_code == 404 and missing.json()["errors"][0]["field"] == "bank_transaction_id"
    )
    report = await svc.reconcile()
    accounts = {a["account"]: a["balance_pence"] for a in report["accounts"]}
    assert accounts["bank_receipts"] == 5_000 + 10_000 + 7_500
    assert accounts["unmatched_receipts"] == -7_500

    told = await svc.pool.fetch(
        "SELECT payload->'data' AS d FROM outbox WHERE type LIKE '%contribution_collected%'"
        " ORDER BY position"
    )
    assert [(t["d"]["amount_pence"], t["d"]["outstanding_pence"]) for t in told] == [
        (5_000, OWED - 5_000),
        (OWED - 5_000, 0),
    ]
    assert {t["d"]["collected_by"] for t in told} == {"bank_transfer"}
    ledger = (await svc.http.get("/people/p6/ledger")).json()
    received = [p for p in ledger["postings"] if p["kind"] == "contribution_received"]
    assert sum(p["credit_pence"] for p in received) == 15_000


async def test_the_same_transaction_with_other_details_is_refused_whole(svc) -> None:
    reference = await billed(svc)
    await receive(svc, ("TXN-1", reference, 5_000, on()))
    refused = await receive(
        svc, ("TXN-9", reference, 1_000, on()), ("TXN-1", reference, 5_001, on()), expect=409
    )
    assert refused["errors"][0]["field"] == "bank_transaction_id"
    assert await svc.pool.fetchval("SELECT count(*) FROM incoming_payments") == 1  # not TXN-9
    await svc.reconcile()


@pytest.mark.parametrize(
    ("amount", "field"),
    [(0, "amount_pence"), (-500, "amount_pence"), (12.5, "amount_pence"), ("5000", "amount_pence")],
)
async def test_bad_money_is_a_422_naming_the_field_and_nothing_is_written(
    svc, amount, field
) -> None:
    body = {
        "credits": [
            {
                "bank_transaction_id": "T1",
                "reference": "CB",
                "amount_pence": amount,
                "received_on": on(),
            }
        ]
    }
    response = await svc.http.post("/incoming-payments", json=body)
    assert response.status_code == 422, response.text
    assert any(e["field"].endswith(field) for e in response.json()["errors"]), response.text
    assert await svc.pool.fetchval("SELECT count(*) FROM incoming_payments") == 0


async def test_other_bad_input_and_no_token(svc) -> None:
    future = (svc.clock() + timedelta(days=1)).isoformat()
    late = await receive(svc, ("T1", "CB", 100, future), expect=422)
    assert late["errors"][0]["field"] == "credits.0.received_on"
    empty = await svc.http.post("/incoming-payments", json={"credits": []})
    assert empty.status_code == 422
    for headers in ({"Authorization": ""}, {"Authorization": "Bearer not-a-token"}):
        response = await svc.http.post(
            "/incoming-payments",
            json={
                "credits": [
                    {
                        "bank_transaction_id": "T1",
                        "reference": "CB",
                        "amount_pence": 100,
                        "received_on": on(),
                    }
                ]
            },
            headers=headers,
        )
        assert response.status_code == 401
        assert (
            await svc.http.get("/ops/incoming-payments/unmatched", headers=headers)
        ).status_code == 401
    assert await svc.pool.fetchval("SELECT count(*) FROM incoming_payments") == 0
