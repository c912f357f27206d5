"""Which template each event calls for, and its personalisation, from the published contracts.

Each function takes the event and what we already know of the person (`Known`) and returns
(template id, personalisation). A value we cannot know is left out (None): rendering then refuses
the message with "missing personalisation: <field>" and a failed record is kept, rather than a
message going out with a blank in it.
"""

import calendar
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from contracts.assessment.v1 import DecisionMadeV1
from contracts.care_plans.v1 import PlanAgreedV1, PlanDraftedV1, ReviewDueV1

from notifications.domain.formatting import format_date, format_pence

UK = ZoneInfo("Europe/London")
REASON_RULES = ("functional.daily_living.band", "functional.mobility.band", "care_act.eligible",
                "care_act.outcomes_not_achieved", "means.contribution", "decision.eligible")
Personalisation = dict[str, str | None]


@dataclass(frozen=True)
class Known:
    first_name: str
    case_reference: str | None = None


def uk_date(moment: datetime) -> date:
    """The calendar day in the UK when something happened (events carry UTC times)."""
    return moment.astimezone(UK).date()


def add_months(day: date, months: int) -> date:
    """The same date `months` later, or that month's last day (31 January + 1 -> 28/29 February)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def reasons_summary(event: DecisionMadeV1) -> str:
    d = event.data
    reasons = [line.text for line in d.explanation if line.rule in REASON_RULES]
    return "\n\n".join(reasons) or (d.explanation[-1].text if d.explanation else "")


def for_decision(event: DecisionMadeV1, known: Known) -> tuple[str, Personalisation]:
    d = event.data
    common = {
        "first_name": known.first_name, "case_reference": d.case_id,
        "decision_date": format_date(uk_date(event.time)),
        "reasons_summary": reasons_summary(event),
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


@dataclass(frozen=True)
class DecisionFacts:
    """What the reconsideration notice needs from a decision seen earlier."""

    decision_id: str
    case_id: str
    decided_on: date
    weekly_pence: int
    reasons_summary: str


def for_reconsideration(
    outcome: str, decided_at: datetime, new: DecisionFacts, original: DecisionFacts | None,
    known: Known,
) -> tuple[str, Personalisation]:
    return "reconsideration-outcome", {
        "first_name": known.first_name, "case_reference": new.case_id,
        "original_decision_date": format_date(original.decided_on) if original else None,
        "decision_changed": "yes" if outcome == "changed" else "no",
        "decision_unchanged": "no" if outcome == "changed" else "yes",
        "reasons_summary": new.reasons_summary,
        "weekly_amount": format_pence(new.weekly_pence),
        "appeal_deadline": format_date(add_months(uk_date(decided_at), 1)),  # tribunal: 1 month
    }


def for_plan(event: PlanDraftedV1, known: Known) -> tuple[str, Personalisation]:
    d = event.data
    return "care-plan-ready", {
        "first_name": known.first_name, "weekly_budget": format_pence(d.weekly_budget_pence),
        "over_budget": "yes" if d.shortfall_pence > 0 else "no",
    }


def for_plan_agreed(event: PlanAgreedV1, known: Known) -> tuple[str, Personalisation]:
    return "plan-agreed", {
        "first_name": known.first_name, "agreed_date": format_date(uk_date(event.time)),
        "first_review_date": format_date(event.data.first_review_due),
    }


def for_review(event: ReviewDueV1, known: Known) -> tuple[str, Personalisation]:
    return "review-due", {"first_name": known.first_name,
                          "review_date": format_date(event.data.due_on)}


MESSAGE_FOR: dict[type, Any] = {
    DecisionMadeV1: for_decision,
    PlanDraftedV1: for_plan,
    PlanAgreedV1: for_plan_agreed,
    ReviewDueV1: for_review,
}
