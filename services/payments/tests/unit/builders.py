"""Events as other systems send them, for payments' tests."""

from datetime import date
from typing import Any

from contracts.assessment.v1 import (
    Award,
    ComponentResult,
    DecisionMade,
    DecisionMadeV1,
    MeansResult,
)
from contracts.benefits import v1 as benefits
from contracts.care_plans import v1 as care_plans
from devstack import benefits_simulator as benefits_system

DL_ENHANCED = 11_040  # PIP daily living, enhanced, 2025-26: £110.40 a week → £478.40 a month
MOBILITY_STANDARD = 2_920  # £29.20 a week → £126.53 a month


def decision(
    person: str = "p1",
    decision_id: str = "d1",
    effective: date = date(2025, 5, 10),
    daily_living: int = DL_ENHANCED,
    mobility: int = 0,
    eligible: bool = True,
    contribution: int = 0,
    version: int = 1,
    **envelope: Any,
) -> DecisionMadeV1:
    components = [
        ComponentResult(
            component="daily_living", points=12, band="enhanced", weekly_pence=daily_living
        )
    ]
    if mobility:
        components.append(
            ComponentResult(component="mobility", points=8, band="standard", weekly_pence=mobility)
        )
    gross = daily_living + mobility
    net = max(0, gross - contribution) if eligible else 0  # as assessment states it
    data = DecisionMade(
        case_id=f"case-{person}",
        decision_id=decision_id,
        decision_version=version,
        rule_set_id="GB-CARE-2025-26",
        area_code="E09000033",
        eligible=eligible,
        care_act_eligible=eligible,
        outcomes_not_achieved=["a", "b"] if eligible else [],
        components=components,
        means=MeansResult(
            capital_pence=0,
            tariff_income_weekly_pence=0,
            financially_eligible=True,
            weekly_contribution_pence=contribution,
        ),
        award=Award(
            gross_weekly_pence=gross,
            weekly_contribution_pence=contribution,
            net_weekly_pence=net,
            net_monthly_pence=(net * 52 * 2 + 12) // 24,  # x 52 / 12, half a penny rounded up
        ),
        effective_date=effective,
        review_date=date(2027, 1, 1),
        reconsideration_deadline=date(2025, 6, 10),
        explanation=[],
    )
    return DecisionMadeV1(source="/services/assessment", subject=person, data=data, **envelope)


def claim_opened(
    person: str = "p1", claim: str = "uc1", first_period: date = date(2025, 3, 3)
) -> benefits.UcClaimOpenedV1:
    return benefits_system.claim_opened(person, claim, first_period)


def claim_closed(
    person: str = "p1", claim: str = "uc1", closed_on: date = date(2025, 9, 2)
) -> benefits.UcClaimClosedV1:
    return benefits_system.claim_closed(person, claim, closed_on)


def period_assessed(
    person: str = "p1",
    claim: str = "uc1",
    start: date = date(2025, 5, 3),
    end: date = date(2025, 6, 2),
    capital: int = 0,
    unearned: int = 0,
    earned: int = 0,
) -> benefits.UcPeriodAssessedV1:
    return benefits_system.period_assessed(person, claim, start, end, earned, unearned, capital)


def support(
    provider: str = "prov-1",
    weekly: int = 6_000,
    units: int = 4,
    arranged_by: str = "scheme",
    code: str = "HOME-CARE",
) -> care_plans.SupportItem:
    return care_plans.SupportItem(
        service_code=code,
        provider_id=provider,
        description=f"{code} from {provider}",
        units_per_week=units,
        unit_rate_pence=weekly // units,
        weekly_cost_pence=weekly,
        arranged_by=arranged_by,
    )


def managed_services(
    person: str = "p1",
    plan: str = "plan-1",
    version: int = 2,
    budget: int = 11_040,
    items: tuple = (),
    top_up: int = 0,
    **envelope: Any,
) -> care_plans.ManagedServicesChangedV1:
    """The split of an agreed plan as care-plans computes it: managed = the scheme-arranged
    items' cost (capped at the budget), direct payment = the rest. No items and no budget: the
    plan ended."""
    items = items or ((support(),) if budget else ())
    scheme = [i for i in items if i.arranged_by == "scheme"]
    managed = min(sum(i.weekly_cost_pence for i in scheme), budget)
    return care_plans.ManagedServicesChangedV1(
        source=care_plans.SOURCE,
        subject=person,
        data=care_plans.ManagedServicesChanged(
            plan_id=plan,
            version=version,
            weekly_budget_pence=budget,
            managed_weekly_pence=managed,
            direct_payment_weekly_pence=budget - managed,
            providers=scheme,
            top_up_weekly_pence=top_up,
        ),
        **envelope,
    )
