"""Backdated decisions after payments went out: arrears paid, overpayments recovered."""

from datetime import date

import pytest

from ..unit.builders import DL_ENHANCED, decision

pytestmark = pytest.mark.integration
MONTHLY = 47_840


async def paid_for_two_periods(svc) -> None:
    await svc.deliver(decision(person="p1", decision_id="d1"))
    await svc.bank_account("p1")
    svc.clock.today = date(2025, 7, 16)
    run = await svc.run(date(2025, 7, 16))
    assert run["instructed"] == 2 and run["total_pence"] == 2 * MONTHLY


async def test_a_backdated_increase_is_paid_as_arrears_in_the_next_run(svc) -> None:
    await paid_for_two_periods(svc)
    await svc.deliver(
        decision(person="p1", decision_id="d2", version=2, daily_living=DL_ENHANCED + 1_000)
    )
    await svc.reconcile()
    arrears = await svc.pool.fetchrow(
        "SELECT amount_pence, status FROM scheduled_payments WHERE kind = 'arrears'"
    )
    assert (arrears["amount_pence"], arrears["status"]) == (2 * 4_333, "scheduled")
    assert (await svc.http.get("/people/p1/payments")).json()["owed_to_you_pence"] == 2 * 4_333
    run = await svc.run(date(2025, 7, 17))
    assert run["instructed"] == 1 and run["total_pence"] == 2 * 4_333
    assert (await svc.outbox_types()).count("statement_issued") == 3  # 2 periods + the arrears
    report = await svc.reconcile()
    expense = {a["account"]: a["balance_pence"] for a in report["accounts"]}["award_expense"]
    assert expense == 2 * (MONTHLY + 4_333)


async def test_a_backdated_decrease_is_recovered_from_later_payments(svc) -> None:
    await paid_for_two_periods(svc)
    await svc.deliver(
        decision(person="p1", decision_id="d2", version=2, daily_living=DL_ENHANCED - 2_000)
    )
    overpayment = await svc.pool.fetchrow("SELECT * FROM overpayments")
    assert overpayment["amount_pence"] == 2 * 8_667
    raised = await svc.pool.fetchval(
        "SELECT payload->'data' FROM outbox WHERE type LIKE '%overpayment_raised%'"
    )
    assert raised["recovery_per_period_pence"] == 5_875 and "Decision d2" in raised["reason"]
    await svc.reconcile()
    svc.clock.today = date(2025, 8, 18)
    run = await svc.run(date(2025, 8, 18))  # the July period: £391.73 less £58.75 recovered
    assert run["instructed"] == 1 and run["total_pence"] == 39_173 - 5_875
    outstanding = await svc.pool.fetchval("SELECT outstanding_pence FROM overpayments")
    assert outstanding == 2 * 8_667 - 5_875
    recovered = await svc.pool.fetchval(
        "SELECT payload->'data' FROM outbox WHERE type LIKE '%overpayment_recovered%'"
    )
    assert (recovered["amount_pence"], recovered["outstanding_pence"]) == (5_875, outstanding)
    page = (await svc.http.get("/people/p1/payments")).json()
    assert page["overpayment_outstanding_pence"] == outstanding
    await svc.reconcile()


async def test_repeating_the_backdated_decision_changes_nothing(svc) -> None:
    await paid_for_two_periods(svc)
    change = decision(person="p1", decision_id="d2", version=2, daily_living=DL_ENHANCED - 2_000)
    await svc.deliver(change, change)  # redelivered: the inbox absorbs it
    await svc.deliver(decision(person="p1", decision_id="d2", version=2))  # re-announced
    assert await svc.pool.fetchval("SELECT count(*) FROM overpayments") == 1
    await svc.reconcile()
