"""What every use case that makes a decision shares: ids, the rule set by date, the engine call,
the decision record, and turning the domain's refusals into errors that name the field."""

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from typing import Any

from servicekit.errors import Conflict, FieldErrors, NotFound

from assessment.domain.case_input import facts_from_mapping
from assessment.domain.decision import Decision, decide
from assessment.domain.errors import InvalidAssessment, NoRuleSetInForce
from assessment.domain.rule_book import RuleBook
from assessment.domain.rules import RuleSet
from assessment.domain.workflow import NotAllowedNow, RequestRefused, reconsideration_deadline
from assessment.service_layer.records import Case, DecisionRecord, Person


def new_id(prefix: str) -> str:
    return f"{prefix}{uuid.uuid4().hex[:15]}"


def rules_on(rulebook: RuleBook, on: date, field: str) -> RuleSet:
    try:
        return rulebook.in_force_on(on)
    except NoRuleSetInForce as exc:
        raise FieldErrors([(field, str(exc))]) from exc


def decide_facts(facts: Any, rules: RuleSet, on: date, field: str = "facts") -> Decision:
    """Runs the engine; bad facts become a 422 naming each field under `field`."""
    try:
        return decide(facts_from_mapping(facts), rules, on)
    except InvalidAssessment as exc:
        raise FieldErrors([(f"{field}.{e.field}", e.message) for e in exc.errors]) from exc


@contextmanager
def refusals() -> Iterator[None]:
    """The workflow's refusals: a state that doesn't allow it is 409, a bad value 422."""
    try:
        yield
    except NotAllowedNow as exc:
        raise Conflict(exc.field, exc.message) from exc
    except RequestRefused as exc:
        raise FieldErrors([(exc.field, exc.message)]) from exc


async def locked_case(uow, case_id: str) -> Case:  # noqa: ANN001
    case = await uow.cases.case_for_update(case_id)
    if case is None:
        raise NotFound("case_id", "no such case")
    return case


async def person_of(uow, case: Case) -> Person:  # noqa: ANN001
    person = await uow.cases.person(case.person_id)
    assert person is not None, f"case {case.case_id} has no person"
    return person


async def next_version(uow, case_id: str) -> int:  # noqa: ANN001
    latest = await uow.cases.latest_decision(case_id)
    return latest.version + 1 if latest else 1


def decision_record(
    case: Case, decision: Decision, *, version: int, assessment_id: str, kind: str,
    decided_on: date, decided_by: str, supersedes: str | None = None,
) -> DecisionRecord:
    """Made on `decided_on` (the reconsideration clock starts then); effective from the date the
    engine was run for, which is earlier for a reconsideration and any date for a change."""
    return DecisionRecord(
        decision_id=new_id("D"),
        case_id=case.case_id,
        person_id=case.person_id,
        version=version,
        assessment_id=assessment_id,
        rule_set_id=decision.rule_set_id,
        eligible=decision.eligible,
        effective_date=decision.effective_date,
        review_date=decision.review_date,
        reconsideration_deadline=reconsideration_deadline(decided_on),
        body=decision.to_dict(),
        kind=kind,
        decided_on=decided_on,
        decided_by=decided_by,
        supersedes=supersedes,
    )
