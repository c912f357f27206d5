"""Rates across an uprating: new rates apply to assessment periods BEGINNING on or after the
uprating date (UC practice); a change of entitlement governs the whole period it falls in (D&A
Regs 2013 Sch 1 para 20)."""

from datetime import date

import pytest
from payments.domain.awards import AppliesBy, AwardVersion, Decision, WeeklyComponent
from payments.domain.calculation import NEW_RATES, calculate_period
from payments.domain.errors import InvalidDecision
from payments.domain.periods import AssessmentPeriod
from payments.domain.schedule import has_ended, periods_to_plan

from .builders import altered, decision

UPRATING_DAY = date(2025, 4, 7)
STRADDLING = AssessmentPeriod(date(2025, 3, 10), date(2025, 4, 9))
AFTER = AssessmentPeriod(date(2025, 4, 10), date(2025, 5, 9))
OLD_WEEKLY, NEW_WEEKLY = 10_875, 11_040  # PIP daily living enhanced 2024-25, 2025-26


def version(
    number: int,
    effective: date,
    weekly: int,
    applies_by: AppliesBy = AppliesBy.PERIOD_END,
    rule_set: str = "GB-CARE-2025-26",
) -> AwardVersion:
    components = (WeeklyComponent("daily_living", weekly),) if weekly else ()
    return AwardVersion(number, effective, components, rule_set, applies_by=applies_by)


FIRST = version(1, date(2025, 3, 10), OLD_WEEKLY, rule_set="GB-CARE-2024-25")
UPRATED = version(2, UPRATING_DAY, NEW_WEEKLY, AppliesBy.PERIOD_START)


def test_a_period_straddling_the_uprating_date_is_paid_wholly_at_the_old_rates() -> None:
    straddling = calculate_period(STRADDLING, [FIRST, UPRATED])
    assert (straddling.decision_version, straddling.net_pence) == (1, 47_125)
    waiting = [line for line in straddling.lines if line.label == NEW_RATES]
    assert [line.amount_pence for line in waiting] == [0]
    assert "beginning on or after 7 April 2025" in waiting[0].explanation
    assert "began on 10 March 2025" in waiting[0].explanation
    after = calculate_period(AFTER, [FIRST, UPRATED])
    assert (after.decision_version, after.net_pence) == (2, 47_840)
    assert "periods beginning on or after 7 April 2025" in after.lines[0].explanation
    assert not any(line.label == NEW_RATES for line in after.lines)


def test_a_change_of_entitlement_on_the_same_day_governs_the_whole_period() -> None:
    change = version(2, UPRATING_DAY, NEW_WEEKLY)
    straddling = calculate_period(STRADDLING, [FIRST, change])
    assert (straddling.decision_version, straddling.net_pence) == (2, 47_840)
    assert (
        "in force on 9 April 2025, the last day of this period" in straddling.lines[0].explanation
    )
    assert not any(line.label == NEW_RATES for line in straddling.lines)


def test_an_uprating_that_starts_a_period_applies_to_that_period() -> None:
    on_the_day = version(2, STRADDLING.start, NEW_WEEKLY, AppliesBy.PERIOD_START)
    assert calculate_period(STRADDLING, [FIRST, on_the_day]).decision_version == 2


def test_a_nil_award_with_an_uprating_still_to_come_has_not_ended() -> None:
    nil = version(2, date(2025, 3, 20), 0)
    reopened = version(3, UPRATING_DAY, NEW_WEEKLY, AppliesBy.PERIOD_START)
    assert not has_ended([FIRST, nil, reopened], STRADDLING)
    assert has_ended([FIRST, nil], STRADDLING)
    older_and_later = version(0, UPRATING_DAY, NEW_WEEKLY, AppliesBy.PERIOD_START)
    assert has_ended([older_and_later, FIRST, nil], STRADDLING)  # superseded where it reaches
    periods, _ = periods_to_plan(FIRST.effective_from, date(2025, 5, 9), [FIRST, nil, reopened])
    assert periods == [STRADDLING, AFTER]


def test_only_an_uprating_decision_applies_by_period_start() -> None:
    made = dict(
        decision_id="d1",
        decision_version=1,
        effective_date=UPRATING_DAY,
        eligible=True,
        rule_set_id="GB-CARE-2025-26",
        weekly_pence_by_component=(("daily_living", NEW_WEEKLY),),
        weekly_contribution_pence=0,
    )
    assert Decision(**made, uprating=True).terms(2).applies_by is AppliesBy.PERIOD_START
    assert Decision(**made).terms(2).applies_by is AppliesBy.PERIOD_END


async def test_an_uprating_event_replans_only_the_periods_beginning_after_it(deliver, uow) -> None:
    first = decision(
        effective=date(2025, 3, 10), daily_living=OLD_WEEKLY, rule_set="GB-CARE-2024-25"
    )
    await deliver(first, today=date(2025, 3, 12))
    uprating = decision(
        decision_id="d2", version=2, effective=UPRATING_DAY, uprating=True, daily_living=NEW_WEEKLY
    )
    events = await deliver(uprating, today=date(2025, 3, 20))
    rows = uow.payments.periods(uow.payments.awards["p1"].award_id)
    amounts = {r["period_start"]: r["amount_pence"] for r in rows}
    assert amounts[STRADDLING.start] == 47_125 and amounts[AFTER.start] == 47_840
    changed = events[-1].data
    assert changed.previous_decision_id == "d1" and changed.upcoming[0].amount_pence == 47_125


async def test_an_uprating_whose_figures_do_not_add_up_is_refused_and_changes_nothing(
    deliver, uow
) -> None:
    first = decision(
        effective=date(2025, 3, 10), daily_living=OLD_WEEKLY, rule_set="GB-CARE-2024-25"
    )
    await deliver(first, today=date(2025, 3, 12))
    award_id = uow.payments.awards["p1"].award_id
    before = uow.payments.periods(award_id)
    uprating = decision(
        decision_id="d2", version=2, effective=UPRATING_DAY, uprating=True, daily_living=NEW_WEEKLY
    )
    forged = altered(uprating, award={"net_monthly_pence": 99_999})  # the rates, not the sum
    with pytest.raises(InvalidDecision, match="award.net_monthly_pence|a month"):
        await deliver(forged, today=date(2025, 3, 20))
    assert uow.payments.periods(award_id) == before


def test_a_change_before_the_uprating_then_its_uprating_pays_the_new_rates_after() -> None:
    """As assessment sends it: the uprating (v2), a change from before it (v3, old rules) and at
    once that change uprated (v4): v3 governs until the uprating, v4 from the first period
    beginning after it, never the uprating of the old facts (v2)."""
    changed_old, changed_new = 12_000, 12_200
    change = version(3, date(2025, 3, 20), changed_old)
    again = version(4, UPRATING_DAY, changed_new, AppliesBy.PERIOD_START)
    every = [FIRST, UPRATED, change, again]
    straddling = calculate_period(STRADDLING, every)
    assert straddling.decision_version == 3
    after = calculate_period(AFTER, every)
    assert after.decision_version == 4
    assert after.net_pence > calculate_period(AFTER, [FIRST, UPRATED, change]).net_pence
