"""UC claims: aligning awards to UC assessment periods; UC-assessed means per period."""

from datetime import date

import pytest
from payments.domain.errors import PaymentsError

from .builders import claim_closed, claim_opened, decision, period_assessed

MONTHLY = 47_840


def starts(uow) -> list[date]:
    return [r["period_start"] for r in uow.payments.periods(uow.payments.awards["p1"].award_id)]


class TestAlignment:
    async def test_a_decision_after_the_claim_follows_uc_periods(self, deliver, uow) -> None:
        events = await deliver(claim_opened(first_period=date(2025, 3, 3)), decision())
        # the UC period holding 10 May (3 May to 2 June) is paid whole: D&A Sch 1 para 20
        assert starts(uow)[:2] == [date(2025, 5, 3), date(2025, 6, 3)]
        assert uow.payments.periods(uow.payments.awards["p1"].award_id)[0]["due_date"] == date(
            2025, 6, 9
        )
        assert events[-1].data.aligned_to_universal_credit

    async def test_a_claim_after_the_decision_realigns_an_unpaid_award(self, deliver, uow) -> None:
        await deliver(decision())
        assert starts(uow)[0] == date(2025, 5, 10)
        events = await deliver(claim_opened(first_period=date(2025, 3, 3)))
        assert starts(uow) == [
            date(2025, 5, 3),
            date(2025, 6, 3),
            date(2025, 7, 3),
            date(2025, 8, 3),
        ]
        assert [e.type.rsplit(".", 2)[-2] for e in events] == ["payment_schedule_changed"]
        assert events[0].data.aligned_to_universal_credit

    async def test_once_paid_an_award_keeps_its_own_periods(self, deliver, uow) -> None:
        await deliver(decision())
        uow.payments.pay_periods_ending_before(date(2025, 6, 10))
        assert await deliver(claim_opened(first_period=date(2025, 3, 3))) == []
        assert starts(uow)[0] == date(2025, 5, 10)
        assert uow.payments.awards["p1"].uc_claim_id is None

    async def test_a_closed_claim_is_recorded(self, deliver, uow) -> None:
        await deliver(claim_opened(), claim_closed(closed_on=date(2025, 9, 2)))
        assert uow.payments.claims["p1"].closed_on == date(2025, 9, 2)


class TestUcAssessedMeans:
    async def test_replace_the_decisions_means_for_that_period(self, deliver, uow) -> None:
        await deliver(claim_opened(), decision(contribution=1_000))
        await deliver(
            period_assessed(
                start=date(2025, 5, 3), end=date(2025, 6, 2), unearned=10_000, earned=78_400
            )
        )
        first, second = uow.payments.periods(uow.payments.awards["p1"].award_id)[:2]
        # unearned £100 + 55% of (£784 - £684 work allowance) = £155
        assert first["amount_pence"] == MONTHLY - 15_500
        assert "Universal Credit" in first["statement"]["lines"][-1]["explanation"]
        assert second["amount_pence"] == MONTHLY - 4_333  # the decision's own means

    async def test_capital_over_16000_leaves_nothing_to_pay(self, deliver, uow) -> None:
        await deliver(
            claim_opened(),
            decision(),
            period_assessed(start=date(2025, 6, 3), end=date(2025, 7, 2), capital=1_600_001),
        )
        assert uow.payments.periods(uow.payments.awards["p1"].award_id)[1]["amount_pence"] == 0

    async def test_a_reassessed_paid_period_raises_an_overpayment(self, deliver, uow) -> None:
        await deliver(claim_opened(), decision())
        uow.payments.pay_periods_ending_before(date(2025, 6, 3))
        events = await deliver(
            period_assessed(start=date(2025, 5, 3), end=date(2025, 6, 2), unearned=5_000),
            today=date(2025, 6, 5),
        )
        assert [o["amount"] for o in uow.payments.overpayments.values()] == [5_000]
        assert {e.type.rsplit(".", 2)[-2] for e in events} == {
            "statement_issued",
            "overpayment_raised",
        }


@pytest.mark.parametrize(
    ("events", "reason"),
    [
        ([period_assessed(claim="nope")], "UC claim nope is not known"),
        ([claim_closed(claim="nope")], "UC claim nope is not open"),
        (
            [
                claim_opened(first_period=date(2025, 3, 3)).model_copy(
                    update={
                        "data": claim_opened().data.model_copy(
                            update={"assessment_period_start_day": 4}
                        )
                    }
                )
            ],
            "assessment periods start on day 4",
        ),
    ],
)
async def test_claim_events_that_make_no_sense_are_refused(deliver, events, reason) -> None:
    with pytest.raises(PaymentsError, match=reason):
        await deliver(*events)
