"""The only place that knows both the domain's decision and the published contract.

Every event is about a person: `subject` (the Kafka key) is the person id, so one person's events
keep their order.
"""

from contracts.assessment import v1
from pydantic import BaseModel
from servicekit.events import new_event

from assessment.domain.decision import Decision
from assessment.service_layer.records import (
    AssessmentRecord,
    DecisionRecord,
    Person,
    Reconsideration,
)


def _event(cls, person_id: str, data: BaseModel):  # noqa: ANN001, ANN202
    return new_event(cls, source=v1.SOURCE, subject=person_id, data=data)


def decision_made(person: Person, record: DecisionRecord, decision: Decision) -> v1.DecisionMade:
    award, means = decision.award, decision.means
    return v1.DecisionMade(
        case_id=record.case_id,
        decision_id=record.decision_id,
        decision_version=record.version,
        supersedes_decision_id=record.supersedes,
        kind=record.kind,
        rule_set_id=decision.rule_set_id,
        area_code=person.area_code,
        eligible=decision.eligible,
        care_act_eligible=decision.care_act.eligible,
        outcomes_not_achieved=[o.outcome for o in decision.care_act.outcomes_not_achieved],
        components=[
            v1.ComponentResult(component=code, points=c.points, band=c.band,
                               weekly_pence=award.weekly_pence_by_component[code])
            for code, c in decision.components.items()
        ],
        means=v1.MeansResult(
            capital_pence=means.capital_pence,
            tariff_income_weekly_pence=means.tariff_income_weekly_pence,
            financially_eligible=means.financially_eligible,
            weekly_contribution_pence=means.weekly_contribution_pence,
        ),
        award=v1.Award(
            gross_weekly_pence=award.gross_weekly_pence,
            weekly_contribution_pence=award.contribution_weekly_pence,
            net_weekly_pence=award.payable_weekly_pence,
            net_monthly_pence=award.payable_monthly_pence,
        ),
        effective_date=record.effective_date,
        review_date=record.review_date,
        reconsideration_deadline=record.reconsideration_deadline,
        explanation=[v1.ExplanationLine(rule=line.rule, citation=line.citation, text=line.text)
                     for line in decision.explanation],
    )


def decision_made_event(person: Person, record: DecisionRecord,
                        decision: Decision) -> v1.DecisionMadeV1:
    return _event(v1.DecisionMadeV1, person.person_id, decision_made(person, record, decision))


def assessment_submitted(person: Person, assessment: AssessmentRecord) -> v1.AssessmentSubmittedV1:
    return _event(v1.AssessmentSubmittedV1, person.person_id, v1.AssessmentSubmitted(
        case_id=assessment.case_id, assessment_id=assessment.assessment_id,
        assessor_id=assessment.assessor_id, area_code=person.area_code, kind=assessment.kind))


def decision_events(
    person: Person, assessment: AssessmentRecord, record: DecisionRecord, decision: Decision
) -> list:
    return [assessment_submitted(person, assessment),
            decision_made_event(person, record, decision)]


def reconsideration_requested(record: Reconsideration) -> v1.ReconsiderationRequestedV1:
    return _event(v1.ReconsiderationRequestedV1, record.person_id, v1.ReconsiderationRequested(
        case_id=record.case_id, decision_id=record.decision_id,
        requested_on=record.requested_on, reason=record.reason,
        reconsideration_id=record.reconsideration_id, requested_by=record.requested_by))


def reconsideration_decided(record: Reconsideration) -> v1.ReconsiderationDecidedV1:
    return _event(v1.ReconsiderationDecidedV1, record.person_id, v1.ReconsiderationDecided(
        case_id=record.case_id, original_decision_id=record.decision_id,
        new_decision_id=record.new_decision_id, outcome=record.outcome,
        reviewer_id=record.reviewer_id, reconsideration_id=record.reconsideration_id))


def decision_superseded(old: DecisionRecord, new: DecisionRecord) -> v1.DecisionSupersededV1:
    return _event(v1.DecisionSupersededV1, old.person_id, v1.DecisionSuperseded(
        case_id=old.case_id, decision_id=old.decision_id,
        superseded_by_decision_id=new.decision_id, reason=new.kind))
