"""Decisions → awards and schedules; backdated changes → arrears or an overpayment."""

from datetime import date

import pytest
from payments.domain.errors import PaymentsError
from payments.domain.ledger import AWARD_EXPENSE, overpayment_receivable, person_payable

from .builders import DL_ENHANCED, decision

MONTHLY = 47_840  # £110.40 a week x 52 / 12


def kinds(events) -> list[str]:
    return [e.type.rsplit(".", 2)[-2] for e in events]


class TestAFirstDecision:
    async def test_schedules_monthly_periods_paid_in_arrears(self, deliver, uow) -> None:
        events = await deliver(decision())
        award = uow.payments.awards["p1"]
        rows = uow.payments.periods(award.award_id)
        assert [r["period_start"] for r in rows] == [
            date(2025, 5, 10),
            date(2025, 6, 10),
            date(2025, 7, 10),
            date(2025, 8, 10),
        ]
        assert rows[0]["period_end"] == date(2025, 6, 9)
        assert rows[0]["due_date"] == date(2025, 6, 16)  # 9 June + 7 days, a Monday
        assert {r["amount_pence"] for r in rows} == {MONTHLY}
        assert kinds(events) == ["payment_schedule_created"]
        created = events[0].data
        assert created.monthly_pence == MONTHLY and not created.aligned_to_universal_credit
        assert award.next_period_start == date(2025, 9, 10)

    async def test_an_ineligible_first_decision_is_ignored(self, deliver, uow) -> None:
        assert await deliver(decision(eligible=False)) == []
        assert uow.payments.awards == {}

    async def test_the_same_decision_twice_changes_nothing(self, deliver, uow) -> None:
        await deliver(decision())
        again = decision()  # a new envelope id: the inbox does not catch it, the decision id does
        assert await deliver(again) == []
        assert len(uow.payments.versions_of[uow.payments.awards["p1"].award_id]) == 1

    @pytest.mark.parametrize(
        ("change", "reason"),
        [
            ({"daily_living": -5}, "negative weekly amount"),
            (
                {"effective": date(2031, 3, 1)},
                "outside the england-and-wales bank holiday calendar",
            ),
        ],
    )
    async def test_impossible_decisions_are_refused_with_a_reason(
        self, deliver, uow, change, reason
    ) -> None:
        with pytest.raises(PaymentsError, match=reason):
            await deliver(decision(**change), today=change.get("effective", date(2025, 5, 12)))

    async def test_a_means_contribution_reduces_every_period(self, deliver, uow) -> None:
        await deliver(decision(contribution=1_000))  # £10 a week = £43.33 a month
        rows = uow.payments.periods(uow.payments.awards["p1"].award_id)
        assert {r["amount_pence"] for r in rows} == {MONTHLY - 4_333}


class TestABackdatedChange:
    async def test_an_increase_pays_arrears_for_paid_periods(self, deliver, uow) -> None:
        await deliver(decision())
        uow.payments.pay_periods_ending_before(date(2025, 7, 10))  # two periods paid
        events = await deliver(
            decision(decision_id="d2", daily_living=DL_ENHANCED + 1_000, version=2),
            today=date(2025, 7, 20),
        )
        arrears = [r for r in uow.payments.rows.values() if r["kind"] == "arrears"]
        assert [r["amount_pence"] for r in arrears] == [2 * 4_333]
        assert arrears[0]["due_date"] == date(2025, 7, 20)
        assert kinds(events) == ["statement_issued", "payment_schedule_changed"]
        assert events[0].data.net_pence == 2 * 4_333
        assert events[1].data.previous_decision_id == "d1"
        balances = uow.payments.balances()
        assert balances[person_payable("p1")] == -2 * 4_333  # owed to them until the next run
        assert sum(balances.values()) == 0

    async def test_a_decrease_raises_an_overpayment_recovered_at_15_percent(
        self, deliver, uow
    ) -> None:
        await deliver(decision())
        uow.payments.pay_periods_ending_before(date(2025, 7, 10))
        events = await deliver(
            decision(
                decision_id="d2",
                daily_living=DL_ENHANCED - 2_000,
                version=2,
                effective=date(2025, 5, 10),
            ),
            today=date(2025, 7, 20),
        )
        overpaid = 2 * 8_667  # £20 a week less = £86.67 a month, for two paid periods
        raised = [e for e in events if e.type.endswith("overpayment_raised.v1")][0].data
        assert raised.amount_pence == overpaid
        new_gross = (DL_ENHANCED - 2_000) * 52 * 10 // 12 // 10  # 39173.33 → 39173
        assert raised.recovery_per_period_pence == new_gross * 15 // 100
        future = [
            r
            for r in uow.payments.periods(uow.payments.awards["p1"].award_id)
            if r["accrued"] is None
        ]
        assert [r["recovery_pence"] for r in future][:2] == [5_875, 5_875]
        assert sum(r["recovery_pence"] for r in future) <= overpaid
        balances = uow.payments.balances()
        assert balances[overpayment_receivable("p1")] == overpaid
        assert balances[AWARD_EXPENSE] == 2 * (new_gross)  # cost now = what was due

    async def test_an_ineligible_later_decision_ends_the_schedule(self, deliver, uow) -> None:
        await deliver(decision())
        uow.payments.pay_periods_ending_before(date(2025, 6, 10))
        await deliver(
            decision(decision_id="d2", eligible=False, version=2, effective=date(2025, 6, 20)),
            today=date(2025, 6, 20),
        )
        award = uow.payments.awards["p1"]
        assert [r["period_start"] for r in uow.payments.periods(award.award_id)] == [
            date(2025, 5, 10)
        ]  # from 10 June nothing is payable: later periods are dropped
        assert award.next_period_start is None
