"""Care plans per local authority area, for comparing areas: plans agreed, shortfalls (a
current version costing more than its budget and not covered by an approved top-up) and the
review backlog (agreed plans past their review date)."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from care_plans.domain.plan import Plan
from care_plans.domain.reviews import next_review_on


@dataclass
class AreaPlans:
    area_code: str
    open_plans: int = 0
    plans_agreed: int = 0  # with an agreed version in force
    shortfalls: int = 0
    shortfall_weekly_pence: int = 0
    top_ups: int = 0  # shortfalls covered by an approved top-up
    reviews_overdue: int = 0


def plans_by_area(open_plans: Iterable[Plan], today: date) -> list[AreaPlans]:
    """One row per area with an open plan, by area code. A plan counts in its current area."""
    areas: dict[str, AreaPlans] = {}
    for plan in open_plans:
        current = plan.current
        row = areas.setdefault(current.area_code, AreaPlans(current.area_code))
        row.open_plans += 1
        row.plans_agreed += plan.in_force is not None
        if current.over_budget and current.top_up_covers_shortfall:
            row.top_ups += 1
        elif current.over_budget:
            row.shortfalls += 1
            row.shortfall_weekly_pence += current.shortfall_pence
        due_on = next_review_on(plan)
        row.reviews_overdue += due_on is not None and due_on < today
    return [areas[code] for code in sorted(areas)]
