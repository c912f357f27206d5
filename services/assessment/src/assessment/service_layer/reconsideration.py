"""Mandatory reconsideration: asked for within a calendar month, reviewed by someone else, and
decided as a new decision version that replaces the original from the original's effective date.
"""

from dataclasses import replace
from datetime import date

from servicekit.errors import NotFound

from assessment.adapters import outbound
from assessment.domain import workflow
from assessment.domain.rule_book import RuleBook
from assessment.service_layer.commands import DecideReconsideration, RequestReconsideration
from assessment.service_layer.deciding import (
    decide_facts,
    decision_record,
    locked_case,
    new_id,
    next_version,
    person_of,
    refusals,
    rules_on,
)
from assessment.service_layer.records import AssessmentRecord, DecisionRecord, Reconsideration

ACTION_REQUEST, ACTION_DECIDE = "request_reconsideration", "decide_reconsideration"


async def request_reconsideration(
    cmd: RequestReconsideration, uow, today: date  # noqa: ANN001
) -> Reconsideration:
    async with uow:
        found = await uow.cases.decision(cmd.decision_id)
        if found is None:
            raise NotFound("decision_id", "no such decision")
        case = await locked_case(uow, found.case_id)  # then the decision: one lock order
        decision = await uow.cases.decision(cmd.decision_id, for_update=True)
        with refusals():
            decision_status = workflow.decision_after(decision.status, ACTION_REQUEST)
            case_status = workflow.case_after(case.status, ACTION_REQUEST)
            workflow.check_reconsideration_request(
                decision.kind, decision.decided_on, decision.reconsideration_deadline,
                cmd.requested_on, today)
        record = Reconsideration(
            new_id("R"), case.case_id, decision.decision_id, decision.person_id,
            cmd.requested_on, cmd.reason, cmd.requested_by)
        await uow.cases.add_reconsideration(record)
        await uow.cases.set_decision_status(decision.decision_id, decision_status)
        await uow.cases.set_case_status(case.case_id, case_status)
        uow.emit(outbound.reconsideration_requested(record))
        await uow.commit()
    return record


async def decide_reconsideration(
    cmd: DecideReconsideration, uow, rulebook: RuleBook, today: date  # noqa: ANN001
) -> tuple[Reconsideration, DecisionRecord]:
    async with uow:
        found = await uow.cases.reconsideration(cmd.reconsideration_id)
        if found is None:
            raise NotFound("reconsideration_id", "no such reconsideration")
        case = await locked_case(uow, found.case_id)
        asked = await uow.cases.reconsideration(cmd.reconsideration_id, for_update=True)
        original = await uow.cases.decision(asked.decision_id, for_update=True)
        assessed = await uow.cases.assessment(original.assessment_id)
        with refusals():
            status = workflow.reconsideration_after(asked.status, ACTION_DECIDE)
            case_status = workflow.case_after(case.status, ACTION_DECIDE)
            workflow.decision_after(original.status, ACTION_DECIDE)
            workflow.check_reviewer(cmd.reviewer_id, {assessed.assessor_id, original.decided_by})
        # Backdated: the engine runs as of the original's effective date, under its rules.
        on = original.effective_date
        rules = rules_on(rulebook, on, "effective_date")
        before = decide_facts(assessed.facts, rules, on)
        after = before if cmd.facts is None else decide_facts(cmd.facts, rules, on)
        person = await person_of(uow, case)
        events = []
        if cmd.facts is not None:
            assessed = AssessmentRecord(
                new_id("A"), case.case_id, workflow.RECONSIDERATION, cmd.reviewer_id, cmd.facts,
                cmd.evidence_notes, submitted=True)
            await uow.cases.add_assessment(assessed)
            events.append(outbound.assessment_submitted(person, assessed))
        new = decision_record(
            case, after, version=await next_version(uow, case.case_id),
            assessment_id=assessed.assessment_id, kind=workflow.RECONSIDERATION,
            decided_on=today, decided_by=cmd.reviewer_id, supersedes=original.decision_id)
        decided = replace(asked, status=status, reviewer_id=cmd.reviewer_id,
                          outcome=workflow.outcome_of_review(before, after),
                          new_decision_id=new.decision_id)
        await uow.cases.supersede(original.decision_id, new)
        await uow.cases.finish_reconsideration(decided)
        await uow.cases.set_case_status(case.case_id, case_status)
        events += [outbound.reconsideration_decided(decided),
                   outbound.decision_superseded(original, new),
                   outbound.decision_made_event(person, new, after)]
        for event in events:
            uow.emit(event)
        await uow.commit()
    return decided, new
