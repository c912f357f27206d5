"""decide(): assessment facts + a rule set + a date -> a Decision with its explanation."""

from dataclasses import dataclass, fields, is_dataclass
from datetime import date
from functools import cache
from typing import Any

from pydantic import TypeAdapter
from wording import add_months, long_date, pounds

from assessment.domain.award import Award, award_lines, build_award, gross_by_component
from assessment.domain.care_act import CareActResult, CarerResult, assess_adult, assess_carer
from assessment.domain.explanation import ExplanationLine
from assessment.domain.facts import AssessmentFacts
from assessment.domain.functional import ComponentResult, score_components
from assessment.domain.means import MeansResult, assess_means
from assessment.domain.rules import PROPOSED, RuleSet
from assessment.domain.validation import validate_facts


@dataclass(frozen=True)
class Decision:
    rule_set_id: str
    rule_set_status: str
    decided_on: date
    charging_rule_set_id: str
    """The rule set whose charging part (in force from its own date) was used."""
    components: dict[str, ComponentResult]
    care_act: CareActResult
    carer: CarerResult | None
    means: MeansResult
    award: Award
    eligible: bool
    effective_date: date
    review_date: date
    explanation: tuple[ExplanationLine, ...]

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready data: dates as ISO strings, money as integer pence (pydantic's
        serialiser of the dataclass: the same data as `_plain`, seven times faster, which a
        mass uprating feels)."""
        return _serializer().dump_python(self, mode="json")

    def award_dict(self) -> dict[str, Any]:
        """`to_dict()["award"]` without converting the rest (the uprating compares awards)."""
        return _plain(self.award)


def decide(facts: AssessmentFacts, rules: RuleSet, decided_on: date) -> Decision:
    """Raises InvalidAssessment if the facts don't fit the rule set."""
    validate_facts(facts, rules, decided_on)
    components, functional_lines = score_components(facts.descriptors, rules)
    care_act, care_act_lines = assess_adult(facts.care_act, rules.adult_eligibility)
    carer, carer_lines = (
        assess_carer(facts.carer, rules.carer_eligibility)
        if facts.carer is not None
        else (None, [])
    )
    by_component = gross_by_component(components, rules)
    means, means_lines = assess_means(
        facts.means, rules, decided_on, full_cost_pence=sum(by_component.values())
    )
    needs_and_means_met = care_act.eligible and means.financially_eligible
    award = build_award(by_component, means.weekly_contribution_pence, rules, needs_and_means_met)
    eligible = needs_and_means_met and award.after_contribution_weekly_pence > 0
    effective = decided_on
    review = add_months(effective, rules.award.review_after_months)
    explanation = (
        _rule_set_line(rules),
        *functional_lines,
        *care_act_lines,
        *carer_lines,
        *means_lines,
        *award_lines(award, components, rules, needs_and_means_met),
        *_outcome_lines(rules, care_act, means, award, eligible, effective, review),
    )
    return Decision(
        rules.id,
        _status(rules),
        decided_on,
        rules.means_test.rule_set_id,
        components,
        care_act,
        carer,
        means,
        award,
        eligible,
        effective,
        review,
        explanation,
    )


def _status(rules: RuleSet) -> str:
    return PROPOSED if PROPOSED in (rules.status, rules.means_test.status) else rules.status


def _rule_set_line(rules: RuleSet) -> ExplanationLine:
    charging = rules.means_test
    text = (
        f"We used the {rules.title} ({rules.id}), which apply from "
        f"{long_date(rules.effective_from)}."
    )
    citation = f"Rule set {rules.id}"
    if charging.rule_set_id != rules.id:
        text += (
            " The charging rules (the Minimum Income Guarantee and the Personal Expenses "
            f"Allowance) are those of {charging.rule_set_id}, in force from "
            f"{long_date(charging.effective_from)}."
        )
        citation += f"; charging rules of {charging.rule_set_id}"
    if _status(rules) == PROPOSED:
        text += " These rates are proposed and may change before they are confirmed."
        notes = dict.fromkeys(n for n in (rules.status_note, charging.status_note) if n)
        text += "".join(f" {note}" for note in notes)
    return ExplanationLine("decision.rule_set", citation, text)


def _outcome_lines(
    rules: RuleSet,
    care_act: CareActResult,
    means: MeansResult,
    award: Award,
    eligible: bool,
    effective: date,
    review: date,
) -> list[ExplanationLine]:
    citation = rules.award.eligibility_citation
    if eligible:
        return [
            ExplanationLine(
                "decision.eligible",
                citation,
                f"You are eligible for Care Benefit of "
                f"{pounds(award.net_weekly_pence)} a week "
                f"({pounds(award.net_monthly_pence)} a month) from "
                f"{long_date(effective)}.",
            ),
            ExplanationLine(
                "decision.review",
                rules.award.review_citation,
                f"We will review your award by {long_date(review)}.",
            ),
        ]
    reasons = _reasons_not_eligible(care_act, means, award)
    text = f"You are not eligible for Care Benefit because {'; and '.join(reasons)}."
    return [ExplanationLine("decision.eligible", citation, text)]


def _reasons_not_eligible(care_act: CareActResult, means: MeansResult, award: Award) -> list[str]:
    reasons = []
    if not care_act.eligible:
        reasons.append("your care needs do not meet the national eligibility criteria")
    if not means.financially_eligible:
        reasons.append("your capital is over the upper limit")
    elif award.gross_weekly_pence == 0:
        reasons.append("you did not score enough points for either part of the award")
    elif award.after_contribution_weekly_pence == 0:
        reasons.append("your weekly contribution is as much as your award or more")
    return reasons


def _plain(value: Any) -> Any:
    names = _field_names(type(value))
    if names is not None:
        return {name: _plain(getattr(value, name)) for name in names}
    if isinstance(value, dict):
        return {str(key): _plain(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(item) for item in value]
    if isinstance(value, date):
        return value.isoformat()
    return value


@cache
def _serializer() -> TypeAdapter["Decision"]:
    return TypeAdapter(Decision)


@cache
def _field_names(cls: type) -> tuple[str, ...] | None:
    """A dataclass's field names (looked up once per class; `fields()` is slow), else None."""
    return tuple(f.name for f in fields(cls)) if is_dataclass(cls) else None
