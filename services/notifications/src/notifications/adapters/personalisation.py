"""Which template each event calls for, and its personalisation, from the published contracts."""

from typing import Any

from contracts.assessment.v1 import DecisionMadeV1
from contracts.care_plans.v1 import PlanDraftedV1
from contracts.payments.v1 import PaymentScheduleCreatedV1
from notifications.domain.formatting import format_date, format_pence

REASON_RULES = ("functional.daily_living.band", "functional.mobility.band", "care_act.eligible",
                "care_act.outcomes_not_achieved", "means.contribution", "decision.eligible")


def for_decision(event: DecisionMadeV1, first_name: str) -> tuple[str, dict[str, str]]:
    d = event.data
    reasons = [line.text for line in d.explanation if line.rule in REASON_RULES]
    common = {
        "first_name": first_name, "case_reference": d.case_id,
        "decision_date": format_date(event.time.date()),
        "reasons_summary": "\n\n".join(reasons) or d.explanation[-1].text,
        "reconsideration_deadline": format_date(d.reconsideration_deadline),
    }
    if not d.eligible:
        return "decision-no-award", common
    return "decision-made", {
        **common,
        "assessed_weekly_amount": format_pence(d.award.gross_weekly_pence),
        "weekly_contribution": format_pence(d.award.weekly_contribution_pence),
        "weekly_amount": format_pence(d.award.net_weekly_pence),
        "monthly_amount": format_pence(d.award.net_monthly_pence),
        "award_start_date": format_date(d.effective_date),
        "review_date": format_date(d.review_date),
    }


def for_schedule(event: PaymentScheduleCreatedV1, first_name: str) -> tuple[str, dict[str, str]]:
    d = event.data
    first_due = min(p.due_date for p in d.upcoming)
    return "payment-schedule-created", {
        "first_name": first_name, "monthly_amount": format_pence(d.monthly_pence),
        "first_payment_date": format_date(first_due),
        "aligned_to_universal_credit": "yes" if d.aligned_to_universal_credit else "no",
    }


def for_plan(event: PlanDraftedV1, first_name: str) -> tuple[str, dict[str, str]]:
    d = event.data
    return "care-plan-ready", {
        "first_name": first_name, "weekly_budget": format_pence(d.weekly_budget_pence),
        "over_budget": "yes" if d.shortfall_pence > 0 else "no",
    }


MESSAGE_FOR: dict[type, Any] = {
    DecisionMadeV1: for_decision,
    PaymentScheduleCreatedV1: for_schedule,
    PlanDraftedV1: for_plan,
}
