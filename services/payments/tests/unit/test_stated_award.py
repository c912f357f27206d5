"""A decision whose figures do not add up is refused before anything is recorded; every
consistent one the builders make (as assessment states them) is taken in."""

import pytest
from payments.domain.errors import InvalidDecision

from .builders import DL_ENHANCED, MOBILITY_STANDARD, decision


def altered(event, **changes):
    """`event` with some of its decision's figures changed, as a forger might."""
    data = event.data
    award = data.award.model_copy(update=changes.pop("award", {}))
    means = data.means.model_copy(update=changes.pop("means", {}))
    components = changes.pop("components", data.components)
    new = data.model_copy(update={"award": award, "means": means, "components": components})
    return event.model_copy(update={"data": new.model_copy(update=changes)})


def band(event, index: int, **changes):
    parts = list(event.data.components)
    parts[index] = parts[index].model_copy(update=changes)
    return parts


GOOD = decision(mobility=MOBILITY_STANDARD, contribution=1_000)


@pytest.mark.parametrize(
    ("forged", "field", "reason"),
    [
        (
            altered(GOOD, award={"net_weekly_pence": 50_000, "net_monthly_pence": 216_667}),
            "award.net_weekly_pence",
            "should be 12960",
        ),
        (
            altered(GOOD, award={"gross_weekly_pence": 20_000}),
            "award.gross_weekly_pence",
            "not the components' 13960",
        ),
        (
            altered(GOOD, award={"net_monthly_pence": 99_999}),
            "award.net_monthly_pence",
            "× 52 ÷ 12",
        ),
        (
            altered(GOOD, award={"weekly_contribution_pence": 0}),
            "award.weekly_contribution_pence",
            "not the means test's 1000",
        ),
        (
            altered(GOOD, components=band(GOOD, 1, band="none")),
            "components",
            "mobility in band 'none' pays 2920",
        ),
        (
            altered(GOOD, components=[*GOOD.data.components, GOOD.data.components[0]]),
            "components",
            "appears twice",
        ),
        (
            altered(decision(eligible=False), eligible=True),
            "eligible",
            "eligible is True",
        ),
        (
            altered(GOOD, means={"financially_eligible": False}),
            "award.net_weekly_pence",
            "nothing as the tests are not met",
        ),
    ],
)
async def test_a_decision_that_does_not_add_up_is_refused(
    deliver, uow, forged, field, reason
) -> None:
    with pytest.raises(InvalidDecision, match=reason) as refused:
        await deliver(forged)
    assert refused.value.field == field
    assert uow.payments.awards == {} and uow.published == []


@pytest.mark.parametrize(
    "consistent",
    [
        GOOD,
        decision(),
        decision(eligible=False),
        decision(daily_living=DL_ENHANCED + 7),  # a monthly amount with half a penny or more
    ],
)
async def test_a_decision_that_adds_up_is_taken_in(deliver, consistent) -> None:
    await deliver(consistent)
