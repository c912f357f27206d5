"""The assessor workflow's rules: which status changes are allowed, and who may do what when.

Mandatory reconsideration: the person may ask within one calendar month of the date of the
decision (D&A Regs 2013 reg 5(1)(b), reg 7); the review is by someone other than the original
decision maker; the revised decision replaces the original from the original's effective date.
A change of circumstances supersedes the current decision from the date of the change.
"""

from dataclasses import dataclass
from datetime import date

from wording import add_months

from assessment.domain.decision import Decision
from assessment.domain.errors import NotAllowedNow, RequestRefused

RECONSIDERATION_WINDOW_MONTHS = 1

OPEN, DECIDED, UNDER_RECONSIDERATION = "open", "decided", "under_reconsideration"
CURRENT, SUPERSEDED = "current", "superseded"
REQUESTED = "requested"
REPORTED = "reported"  # a change of circumstances reported, waiting for an assessor
REASSESSED = "reassessed"  # ... and taken into account by a reassessment
MAX_STATEMENT = 2000  # characters in what a person writes (a reason, what changed)

NEW_CLAIM, RECONSIDERATION, CHANGE_OF_CIRCUMSTANCES, UPRATING = (
    "new_claim",
    "reconsideration",
    "change_of_circumstances",
    "uprating",
)
RECORD_ASSESSMENT, DECIDE = "record_assessment", "decide"
REQUEST_RECONSIDERATION, DECIDE_RECONSIDERATION = (
    "request_reconsideration",
    "decide_reconsideration",
)
CHANGE_CIRCUMSTANCES = "change_circumstances"


@dataclass(frozen=True)
class _Move:
    field: str
    doing: str
    moves: dict[str, str]  # from status -> to status


_CASE = {
    RECORD_ASSESSMENT: _Move("case_id", "take a new assessment", {OPEN: OPEN}),
    DECIDE: _Move("case_id", "be decided again", {OPEN: DECIDED}),
    REQUEST_RECONSIDERATION: _Move(
        "case_id", "take another reconsideration request", {DECIDED: UNDER_RECONSIDERATION}
    ),
    DECIDE_RECONSIDERATION: _Move(
        "case_id", "have a reconsideration decided", {UNDER_RECONSIDERATION: DECIDED}
    ),
    CHANGE_CIRCUMSTANCES: _Move("case_id", "take a change of circumstances", {DECIDED: DECIDED}),
}
_DECISION = {
    REQUEST_RECONSIDERATION: _Move(
        "decision_id", "be reconsidered", {CURRENT: UNDER_RECONSIDERATION}
    ),
    DECIDE_RECONSIDERATION: _Move("decision_id", "be revised", {UNDER_RECONSIDERATION: SUPERSEDED}),
    CHANGE_CIRCUMSTANCES: _Move("decision_id", "be superseded", {CURRENT: SUPERSEDED}),
}
_RECONSIDERATION = {
    DECIDE_RECONSIDERATION: _Move("reconsideration_id", "be decided again", {REQUESTED: DECIDED}),
}


def case_after(status: str, action: str) -> str:
    return _after(_CASE[action], "case", status)


def decision_after(status: str, action: str) -> str:
    return _after(_DECISION[action], "decision", status)


def reconsideration_after(status: str, action: str) -> str:
    return _after(_RECONSIDERATION[action], "reconsideration", status)


def _after(move: _Move, what: str, status: str) -> str:
    if status not in move.moves:
        raise NotAllowedNow(
            move.field, f"the {what} is {status.replace('_', ' ')}; it cannot {move.doing}"
        )
    return move.moves[status]


def reconsideration_deadline(decided_on: date) -> date:
    """The last day to ask: the same date one calendar month on (or that month's last day)."""
    return add_months(decided_on, RECONSIDERATION_WINDOW_MONTHS)


def check_reconsideration_request(
    kind: str, decided_on: date, deadline: date, requested_on: date, today: date
) -> None:
    if kind == RECONSIDERATION:
        raise NotAllowedNow(
            "decision_id",
            "this decision was made on mandatory reconsideration;"
            " the next step is an appeal to the tribunal",
        )
    if requested_on > today:
        raise RequestRefused("requested_on", f"{requested_on} is in the future")
    if requested_on < decided_on:
        raise RequestRefused(
            "requested_on", f"{requested_on} is before the decision was made on {decided_on}"
        )
    if requested_on > deadline:
        raise RequestRefused(
            "requested_on",
            f"{requested_on} is after the deadline of {deadline}: a mandatory reconsideration"
            f" must be asked for within one calendar month of the decision (made {decided_on})",
        )


def check_statement(field: str, text: str) -> str:
    """What a person writes to us: not empty, not over MAX_STATEMENT characters."""
    stripped = text.strip()
    if not stripped:
        raise RequestRefused(field, "must say something")
    if len(stripped) > MAX_STATEMENT:
        raise RequestRefused(field, f"must be {MAX_STATEMENT} characters or fewer")
    return stripped


def check_reported_change(changed_on: date, award_effective: date, today: date) -> None:
    if changed_on > today:
        raise RequestRefused("changed_on", f"{changed_on} is in the future")
    if changed_on < award_effective:
        raise RequestRefused(
            "changed_on",
            f"{changed_on} is before {award_effective}, the date the decision in force takes"
            " effect from",
        )


def check_reviewer(reviewer_id: str, original_decision_makers: set[str]) -> None:
    if reviewer_id in original_decision_makers:
        raise RequestRefused(
            "reviewer_id",
            f"{reviewer_id} made or assessed the original"
            " decision; a different assessor must review it",
        )


def check_claim_date(claimed_on: date, today: date) -> None:
    if claimed_on > today:
        raise RequestRefused("claimed_on", f"{claimed_on} is in the future: a claim is made by now")


def check_change_date(effective_date: date, current_effective_date: date) -> None:
    if effective_date < current_effective_date:
        raise RequestRefused(
            "effective_date",
            f"{effective_date} is before {current_effective_date}, the date the current decision"
            " takes effect from; ask for a reconsideration to change that decision instead",
        )


def outcome_of_review(before: Decision, after: Decision) -> str:
    """'changed' when the revised decision's result differs (eligibility, bands, means, award)."""
    same = all(
        getattr(before, name) == getattr(after, name)
        for name in ("eligible", "components", "care_act", "carer", "means", "award")
    )
    return "unchanged" if same else "changed"
