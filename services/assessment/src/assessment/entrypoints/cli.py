"""The calculator: a case as JSON on stdin, the decision as JSON on stdout. Records nothing.

    python -m assessment [--on YYYY-MM-DD] < case.json

Errors print {"errors": [{"field": ..., "message": ...}]} and exit with status 2.
"""

import argparse
import json
from datetime import date
from typing import Any, TextIO

from assessment.domain import Decision, InvalidAssessment, NoRuleSetInForce, RuleBook
from assessment.domain.case_input import decide_case

INVALID = 2
PUBLISHED_AWARD_NAMES = {
    "weekly_contribution_pence": "contribution_weekly_pence",
    "after_contribution_weekly_pence": "net_weekly_pence",
    "after_contribution_monthly_pence": "net_monthly_pence",
    "net_weekly_pence": "payable_weekly_pence",
    "net_monthly_pence": "payable_monthly_pence",
}
"""The calculator's output keeps the award names it was published with (docs/calculator.md,
tests/golden): its `net_*` is the service's `after_contribution_*`, its `payable_*` the
service's `net_*` (what is paid)."""


def calculate(
    argv: list[str] | None, stdin: TextIO, stdout: TextIO, rulebook: RuleBook, today: date
) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m assessment", description="Decide a Care Benefit case read from stdin."
    )
    parser.add_argument("--on", help="decision date YYYY-MM-DD (default: today); picks the rules")
    args = parser.parse_args(argv)
    try:
        on = _decision_date(args.on, today)
        decision = decide_case(_read_json(stdin), rulebook.in_force_on(on, "--on"), on)
    except (InvalidAssessment, NoRuleSetInForce, _BadInput) as error:
        _print(stdout, {"errors": [{"field": f, "message": m} for f, m in error.errors]})
        return INVALID
    _print(stdout, published(decision))
    return 0


def published(decision: Decision) -> dict[str, Any]:
    plain = decision.to_dict()
    plain["award"] = {PUBLISHED_AWARD_NAMES.get(k, k): v for k, v in plain["award"].items()}
    return plain


class _BadInput(Exception):
    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.errors = [(field, message)]


def _decision_date(text: str | None, today: date) -> date:
    if text is None:
        return today
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise _BadInput("--on", f"must be a date YYYY-MM-DD, got {text!r}") from None


def _read_json(stdin: TextIO) -> object:
    try:
        return json.load(stdin)
    except json.JSONDecodeError as error:
        raise _BadInput("$", f"is not valid JSON: {error}") from None


def _print(stdout: TextIO, document: dict[str, Any]) -> None:
    json.dump(document, stdout, indent=2, ensure_ascii=False)
    stdout.write("\n")
