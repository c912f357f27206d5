"""The only place that knows both the domain's events and the published contract.

Every event is about a person: `subject` (the Kafka key) is the person id, so one person's events
keep their order.
"""

from collections.abc import Callable
from typing import Any

from contracts.assessment import v1
from contracts.envelope import Envelope
from servicekit.events import new_event

from assessment.domain import Case, Person
from assessment.domain import events as ev

Contract = tuple[type[Envelope[Any]], Any]


def assessment_submitted(event: ev.AssessmentSubmitted, person: Person) -> Contract:
    a = event.assessment
    return v1.AssessmentSubmittedV1, v1.AssessmentSubmitted(
        case_id=a.case_id,
        assessment_id=a.assessment_id,
        assessor_id=a.assessor_id,
        area_code=person.area_code,
        kind=a.kind,
    )


def decision_made(event: ev.DecisionMade, person: Person) -> Contract:
    """Validated in one call from plain data: one model per nested object costs a mass
    uprating more than the decision itself."""
    record, worked_out = event.decision, event.worked_out
    award, means = worked_out.award, worked_out.means
    return v1.DecisionMadeV1, v1.DecisionMade.model_validate(
        {
            "case_id": record.case_id,
            "decision_id": record.decision_id,
            "decision_version": record.version,
            "supersedes_decision_id": record.supersedes,
            "kind": record.kind,
            "rule_set_id": record.rule_set_id,
            "charging_rule_set_id": worked_out.charging_rule_set_id,
            "area_code": person.area_code,
            "eligible": record.eligible,
            "care_act_eligible": worked_out.care_act.eligible,
            "outcomes_not_achieved": [o.outcome for o in worked_out.care_act.outcomes_not_achieved],
            "components": [
                {
                    "component": code,
                    "points": c.points,
                    "band": c.band,
                    "weekly_pence": award.weekly_pence_by_component[code],
                }
                for code, c in worked_out.components.items()
            ],
            "means": {
                "capital_pence": means.capital_pence,
                "tariff_income_weekly_pence": means.tariff_income_weekly_pence,
                "financially_eligible": means.financially_eligible,
                "weekly_contribution_pence": means.weekly_contribution_pence,
                "care_setting": means.care_setting,
                "minimum_income_guarantee_weekly_pence": (
                    means.minimum_income_guarantee_weekly_pence
                ),
                "personal_expenses_allowance_weekly_pence": (
                    means.personal_expenses_allowance_weekly_pence
                ),
                "premiums": [
                    {"premium": p.premium, "weekly_pence": p.weekly_pence} for p in means.premiums
                ],
            },
            "award": {
                "gross_weekly_pence": award.gross_weekly_pence,
                "weekly_contribution_pence": award.weekly_contribution_pence,
                "net_weekly_pence": award.net_weekly_pence,
                "net_monthly_pence": award.net_monthly_pence,
            },
            "effective_date": record.effective_date,
            "review_date": record.review_date,
            "reconsideration_deadline": record.reconsideration_deadline,
            "explanation": [
                {"rule": line.rule, "citation": line.citation, "text": line.text}
                for line in worked_out.explanation
            ],
        }
    )


def decision_superseded(event: ev.DecisionSuperseded, person: Person) -> Contract:
    old, new = event.superseded, event.by
    return v1.DecisionSupersededV1, v1.DecisionSuperseded(
        case_id=old.case_id,
        decision_id=old.decision_id,
        superseded_by_decision_id=new.decision_id,
        reason=new.kind,
    )


def reconsideration_requested(event: ev.ReconsiderationRequested, person: Person) -> Contract:
    r = event.reconsideration
    return v1.ReconsiderationRequestedV1, v1.ReconsiderationRequested(
        case_id=r.case_id,
        decision_id=r.decision_id,
        requested_on=r.requested_on,
        reason=r.reason,
        reconsideration_id=r.reconsideration_id,
        requested_by=r.requested_by,
    )


def reconsideration_decided(event: ev.ReconsiderationDecided, person: Person) -> Contract:
    r = event.reconsideration
    return v1.ReconsiderationDecidedV1, v1.ReconsiderationDecided(
        case_id=r.case_id,
        original_decision_id=r.decision_id,
        new_decision_id=r.new_decision_id,
        outcome=r.outcome,
        reviewer_id=r.reviewer_id,
        reconsideration_id=r.reconsideration_id,
    )


PUBLISHED: dict[type, Callable[[Any, Person], Contract]] = {
    ev.AssessmentSubmitted: assessment_submitted,
    ev.DecisionMade: decision_made,
    ev.DecisionSuperseded: decision_superseded,
    ev.ReconsiderationRequested: reconsideration_requested,
    ev.ReconsiderationDecided: reconsideration_decided,
}


def outbound(case: Case) -> list[Envelope[Any]]:
    """The contract events for the domain events `case` has recorded, in order (every event the
    aggregate records is published)."""
    envelopes = []
    for event in case.events:
        cls, data = PUBLISHED[type(event)](event, case.person)
        envelopes.append(new_event(cls, source=v1.SOURCE, subject=case.person_id, data=data))
    return envelopes
