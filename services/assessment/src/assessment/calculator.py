"""Calculator: a case as JSON on stdin, the decision as JSON on stdout. Records nothing.

    python -m assessment.calculator [--on YYYY-MM-DD] < case.json

Errors print {"errors": [{"field": ..., "message": ...}]} and exit with status 2.
"""

import argparse
import json
import sys
from datetime import date
from typing import TextIO

from assessment.domain import InvalidAssessment, NoRuleSetInForce, decide
from assessment.domain.case_input import facts_from_mapping
from assessment.rulebook import load_rulebook

INVALID = 2


def main(
    argv: list[str] | None = None,
    stdin: TextIO = sys.stdin,
    stdout: TextIO = sys.stdout,
    today: date | None = None,
) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m assessment.calculator",
        description="Decide a Care Benefit case read from stdin.",
    )
    parser.add_argument("--on", help="decision date YYYY-MM-DD (default: today); picks the rules")
    args = parser.parse_args(argv)
    try:
        on = _decision_date(args.on, today)
        rules = load_rulebook().in_force_on(on)
        decision = decide(facts_from_mapping(_read_json(stdin)), rules, on)
    except InvalidAssessment as invalid:
        return _fail(stdout, [(e.field, e.message) for e in invalid.errors])
    except NoRuleSetInForce as error:
        return _fail(stdout, [("--on", str(error))])
    except _BadInput as error:
        return _fail(stdout, [error.args])
    json.dump(decision.to_dict(), stdout, indent=2, ensure_ascii=False)
    stdout.write("\n")
    return 0


class _BadInput(Exception):
    """args: (field, message)"""


def _decision_date(text: str | None, today: date | None) -> date:
    if text is None:
        return today or date.today()
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise _BadInput("--on", f"must be a date YYYY-MM-DD, got {text!r}") from None


def _read_json(stdin: TextIO) -> object:
    try:
        return json.load(stdin)
    except json.JSONDecodeError as error:
        raise _BadInput("$", f"is not valid JSON: {error}") from None


def _fail(stdout: TextIO, errors: list[tuple[str, str]]) -> int:
    json.dump(
        {"errors": [{"field": f, "message": m} for f, m in errors]},
        stdout,
        indent=2,
        ensure_ascii=False,
    )
    stdout.write("\n")
    return INVALID


if __name__ == "__main__":
    sys.exit(main())
