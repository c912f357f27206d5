"""Domain objects -> the read models in contracts.api.assessment (and the command responses that
carry a decision)."""

from contracts.api import assessment as api

from assessment.domain import (
    Case,
    Decision,
    DecisionRecord,
    Person,
    Reconsideration,
    ReportedChange,
)


def decision_body(decision: Decision) -> api.DecisionBody:
    return api.DecisionBody.model_validate(decision.to_dict())


def current_decision(record: DecisionRecord) -> api.CurrentDecision:
    return api.CurrentDecision.model_validate(record, from_attributes=True)


def decision_version(record: DecisionRecord) -> api.DecisionVersion:
    return api.DecisionVersion.model_validate(record, from_attributes=True)


def case_summary(case: Case) -> api.CaseSummary:
    in_force = case.in_force
    return api.CaseSummary(
        case_id=case.case_id,
        person_id=case.person_id,
        status=case.status,
        current_decision_id=in_force.decision_id if in_force else None,
        current_decision_version=in_force.version if in_force else None,
    )


def case_detail(case: Case) -> api.CaseDetail:
    return api.CaseDetail(
        case=case_summary(case),
        assessments=[
            api.RecordedAssessment.model_validate(a, from_attributes=True) for a in case.assessments
        ],
        decisions=[decision_version(d) for d in case.decisions],
        reconsiderations=[reconsideration(r) for r in case.reconsiderations],
    )


def reconsideration(r: Reconsideration) -> api.ReconsiderationView:
    return api.ReconsiderationView.model_validate(r, from_attributes=True)


def reported_change(x: ReportedChange) -> api.ReportedChangeView:
    return api.ReportedChangeView.model_validate(x, from_attributes=True)


def decision_history(person_id: str, cases: list[Case]) -> api.DecisionHistory:
    return api.DecisionHistory(
        person_id=person_id,
        decisions=[decision_version(d) for c in cases for d in c.decisions],
        reconsiderations=[reconsideration(r) for c in cases for r in c.reconsiderations],
        changes=[reported_change(x) for c in cases for x in c.reported_changes],
        full_name=cases[0].person.full_name if cases else None,
    )


def assessor_queue(
    reconsiderations: list[Reconsideration], changes: list[ReportedChange]
) -> api.AssessorQueue:
    return api.AssessorQueue(
        reconsiderations=[reconsideration(r) for r in reconsiderations],
        changes=[reported_change(x) for x in changes],
    )


def person_cases(cases: list[Case]) -> api.PersonCases:
    return api.PersonCases(cases=[case_summary(case) for case in cases])


def verified_person(person: Person) -> api.VerifiedPerson:
    return api.VerifiedPerson(person_id=person.person_id)
