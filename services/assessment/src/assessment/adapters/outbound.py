"""The only place that knows both the domain's decision and the published contract."""

from contracts.assessment import v1
from servicekit.events import new_event

from assessment.domain.decision import Decision
from assessment.service_layer.records import AssessmentRecord, DecisionRecord, Person


def decision_made(person: Person, record: DecisionRecord, decision: Decision) -> v1.DecisionMade:
    award, means = decision.award, decision.means
    return v1.DecisionMade(
        case_id=record.case_id,
        decision_id=record.decision_id,
        decision_version=record.version,
        rule_set_id=decision.rule_set_id,
        area_code=person.area_code,
        eligible=decision.eligible,
        care_act_eligible=decision.care_act.eligible,
        outcomes_not_achieved=[o.outcome for o in decision.care_act.outcomes_not_achieved],
        components=[
            v1.ComponentResult(
                component=code,
                points=c.points,
                band=c.band,
                weekly_pence=award.weekly_pence_by_component[code],
            )
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
        explanation=[
            v1.ExplanationLine(rule=line.rule, citation=line.citation, text=line.text)
            for line in decision.explanation
        ],
    )


def decision_events(
    person: Person, assessment: AssessmentRecord, record: DecisionRecord, decision: Decision
) -> list:
    submitted = v1.AssessmentSubmitted(
        case_id=record.case_id,
        assessment_id=assessment.assessment_id,
        assessor_id=assessment.assessor_id,
        area_code=person.area_code,
        kind=assessment.kind,
        first_name=person.full_name.split()[0],
    )
    return [
        new_event(
            v1.AssessmentSubmittedV1, source=v1.SOURCE, subject=person.person_id, data=submitted
        ),
        new_event(
            v1.DecisionMadeV1,
            source=v1.SOURCE,
            subject=person.person_id,
            data=decision_made(person, record, decision),
        ),
    ]
