"""The yearly uprating of one award: what it changes and how its decision explains itself.

An award in force is re-decided under the rule set coming into force, from that rule set's date,
on the facts it was last decided on (nobody is reassessed). The new version keeps the review
date of the one it supersedes: an uprating changes the rates, not when the award is looked at.
A re-decision whose figures come out the same is still a new version: it records the rule set
its amounts are now under, and the person is told (every award in payment hears about April).
"""

from dataclasses import dataclass, replace
from datetime import date

from wording import long_date, pounds

from assessment.domain.decision import Decision
from assessment.domain.errors import NotAllowedNow
from assessment.domain.explanation import ExplanationLine
from assessment.domain.records import DecisionRecord
from assessment.domain.rules import RuleSet
from assessment.domain.workflow import CURRENT, DECIDED

UPRATED, UNCHANGED, REFUSED = "uprated", "unchanged", "refused"
BY = "uprating"
"""Who decides an uprating version (no assessor; a reviewer of it may be anyone)."""


def award_to_uprate(
    case_status: str, current: DecisionRecord | None, rules: RuleSet
) -> DecisionRecord:
    """The decision in force, when it is an award in payment under earlier rules than `rules`."""
    if current is None or case_status != DECIDED or current.status != CURRENT:
        raise NotAllowedNow("case_id", "the case has no current decision to uprate")
    if not current.eligible:
        raise NotAllowedNow("case_id", "the decision in force is not an award")
    if current.rule_set_id == rules.id or current.effective_date >= rules.effective_from:
        raise NotAllowedNow(
            "case_id", f"the award is already under {current.rule_set_id} from its start"
        )
    return current


def outcome(current: DecisionRecord, worked_out: Decision) -> str:
    """UPRATED when eligibility or the award's amounts differ, else UNCHANGED."""
    before = (current.eligible, current.body.get("award"))
    after = (worked_out.eligible, worked_out.award_dict())
    return UNCHANGED if before == after else UPRATED


def uprated(current: DecisionRecord, worked_out: Decision, rules: RuleSet) -> Decision:
    """`worked_out` as the uprating version: the review date kept and the explanation saying
    why there is a new decision and what changed."""
    review = current.review_date
    lines = [
        _review_line(line, review) if line.rule == "decision.review" else line
        for line in worked_out.explanation
    ]
    lines.insert(1, _uprating_line(current, worked_out, rules))
    return replace(worked_out, review_date=review, explanation=tuple(lines))


def _uprating_line(
    current: DecisionRecord, worked_out: Decision, rules: RuleSet
) -> ExplanationLine:
    was = current.body.get("award", {}).get("net_weekly_pence", 0)
    now = worked_out.award.net_weekly_pence
    text = (
        f"This is the yearly uprating: we worked your award out again under the rates that apply"
        f" from {long_date(rules.effective_from)}, on the circumstances we last assessed"
        f" (decision {current.decision_id}, under {current.rule_set_id})."
    )
    if outcome(current, worked_out) == UNCHANGED:
        text += f" Your award stays at {pounds(now)} a week."
    else:
        text += (
            f" Your award was {pounds(was)} a week; it is now {pounds(now)} a week. If you have"
            " a care plan, its budget changes with your award: sign in to see the updated plan."
        )
    return ExplanationLine("decision.uprating", f"Rule set {rules.id}", text)


def _review_line(line: ExplanationLine, review: date) -> ExplanationLine:
    return replace(line, text=f"We will review your award by {long_date(review)}.")


@dataclass(frozen=True)
class UpratedAward:
    """What the uprating did to one award: kept once per award and rule set."""

    rule_set_id: str
    case_id: str
    decision_id: str
    """The version in force before."""
    outcome: str
    """UPRATED, UNCHANGED (a new version all the same) or REFUSED (left for an assessor)."""
    new_decision_id: str | None = None
    reason: str = ""
