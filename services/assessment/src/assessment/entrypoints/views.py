"""Domain objects -> the read models in contracts.api.assessment (and the command responses that
carry a decision)."""

from datetime import date

from contracts.api import assessment as api

from assessment.domain import (
    Case,
    Decision,
    DecisionRecord,
    Person,
    Reconsideration,
    ReportedChange,
    RuleBook,
    RuleSet,
)
from assessment.domain.caseload import Caseload
from assessment.domain.draft import Draft, activity_results
from assessment.domain.rules import OutcomeTest


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
        version=case.version,
        assigned_to=case.assigned_to,
    )


def case_detail(
    case: Case, rulebook: RuleBook | None = None, today: date | None = None
) -> api.CaseDetail:
    """With the assessment in progress worked out under the rules it will be decided by (given
    the rule book and today)."""
    draft = None
    if case.draft is not None and rulebook is not None and today is not None:
        on = case.draft_decision_date(today)
        draft = draft_view(case.draft, rulebook.in_force_on(on, "effective_date"), on)
    return api.CaseDetail(
        case=case_summary(case),
        assessments=[
            api.RecordedAssessment.model_validate(a, from_attributes=True) for a in case.assessments
        ],
        decisions=[decision_version(d) for d in case.decisions],
        reconsiderations=[reconsideration(r) for r in case.reconsiderations],
        person=api.PersonView.model_validate(case.person, from_attributes=True),
        assignments=[
            api.AssignmentView.model_validate(a, from_attributes=True) for a in case.assignments
        ],
        draft=draft,
        changes=[reported_change(x) for x in case.reported_changes],
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


def draft_view(draft: Draft, rules: RuleSet, on: date) -> api.DraftView:
    figures = draft.uc_figures
    return api.DraftView(
        rule_set_id=rules.id,
        decision_date=on,
        purpose=draft.purpose,  # type: ignore[arg-type]
        author=draft.author,
        started_on=draft.started_on,
        facts=draft.facts,
        sections=list(draft.sections()),
        answered=list(draft.answered),
        notes=draft.notes,
        uc_figures=api.UcFiguresView.model_validate(figures.to_dict()) if figures else None,
        prefilled=figures.prefilled() if figures else {},
        means_changes=draft.means_changes,
        effective_date=draft.effective_date,
        reconsideration_id=draft.reconsideration_id,
        activity_results={
            number: api.ActivityResultView(
                descriptor=score.descriptor, points=score.points, explanation=lines
            )
            for number, (score, lines) in activity_results(draft, rules).items()
        },
    )


def caseload(found: Caseload) -> api.Caseload:
    return api.Caseload(
        items=[
            api.CaseloadItem(
                case_id=line.entry.case_id,
                person=api.PersonView.model_validate(line.entry.person, from_attributes=True),
                status=line.entry.status,  # type: ignore[arg-type]
                version=line.entry.version,
                assigned_to=line.entry.assigned_to,
                opened_on=line.entry.opened_on,
                work=line.work.kind,  # type: ignore[arg-type]
                due_on=line.work.due_on,
                overdue=line.work.overdue,
                due_soon=line.work.due_soon,
                asked=line.work.asked,
                draft_purpose=line.entry.draft_purpose,  # type: ignore[arg-type]
            )
            for line in found.lines
        ],
        counts_by_status=found.counts_by_status,
    )


def rule_set_summary(rules: RuleSet) -> api.RuleSetSummary:
    return api.RuleSetSummary(
        rule_set_id=rules.id,
        title=rules.title,
        effective_from=rules.effective_from,
        status=rules.status,  # type: ignore[arg-type]
        status_note=rules.status_note,
    )


def rule_set(rules: RuleSet) -> api.RuleSetView:
    def coded(items) -> list[api.CodedTextView]:
        return [api.CodedTextView(code=i.code, text=i.text, citation=i.citation) for i in items]

    return api.RuleSetView(
        **rule_set_summary(rules).model_dump(),
        components=[
            api.CodedTextView(code=c.code, text=c.title, citation=c.citation)
            for c in rules.components
        ],
        activities=[
            api.ActivityView(
                number=a.number,
                name=a.name,
                component=a.component,
                citation=a.citation,
                descriptors=[
                    api.DescriptorView(code=d.code, points=d.points, text=d.text)
                    for d in a.descriptors
                ],
            )
            for a in rules.activities
        ],
        reliability=coded(rules.reliability.criteria),
        care_act=_outcome_test(rules.adult_eligibility.outcome_test, coded),
        carer=_outcome_test(rules.carer_eligibility.outcome_test, coded),
        income_types=[
            api.IncomeTypeView(code=t.code, title=t.title, counted=t.counted)
            for t in rules.means_test.income_types
        ],
        benefit_rates={kind: list(rates.rates) for kind, rates in rules.benefit_rates.items()},
    )


def _outcome_test(test: OutcomeTest, coded) -> api.OutcomeTestView:
    return api.OutcomeTestView(
        outcomes=coded(test.outcomes),
        limbs=coded(test.limbs),
        minimum_not_achieved=test.minimum_not_achieved,
    )


def golden_case(facts: dict, on: date, published: dict) -> api.GoldenCase:
    return api.GoldenCase(args=["--on", on.isoformat()], input=facts, exit_code=0, output=published)


def person_cases(cases: list[Case]) -> api.PersonCases:
    return api.PersonCases(cases=[case_summary(case) for case in cases])


def verified_person(person: Person) -> api.VerifiedPerson:
    return api.VerifiedPerson(person_id=person.person_id)
