"""The policy calculator's form: a golden case file loaded in place of the case and its date,
and bad input named on its field (nothing is sent to the calculator then)."""

import json
from datetime import date

from portal.assessor.calculator import _asked, _golden
from portal.assessor.forms import Problems

CASE = {"descriptors": {"1": "1a"}}


def values(**changes: str) -> dict[str, str]:
    sent = {"case": json.dumps(CASE), "rule_set_a": "", "rule_set_b": ""}
    return sent | {"on-day": "2", "on-month": "6", "on-year": "2025"} | changes


def test_a_golden_case_gives_its_case_and_date() -> None:
    golden = {"args": ["--on", "2026-04-06"], "input": CASE, "exit_code": 0, "output": {}}
    problems = Problems()
    assert _golden(json.dumps(golden).encode(), problems) == (CASE, date(2026, 4, 6))
    assert not problems


def test_a_file_that_is_not_a_golden_case_is_refused_on_the_upload() -> None:
    for raw in (b"not json", b"[1, 2]", json.dumps({"args": []}).encode(), b"\xff\xfe"):
        problems = Problems()
        assert _golden(raw, problems) is None
        assert "must be a golden case" in problems.errors["golden"]


def test_the_case_and_the_rule_sets_asked_for() -> None:
    problems = Problems()
    asked = _asked(values(rule_set_a="GB-CARE-2025-26", rule_set_b="GB-CARE-2026-27"), problems)
    assert not problems
    assert (asked.case, asked.on, asked.rule_sets) == (
        CASE,
        date(2025, 6, 2),
        ["GB-CARE-2025-26", "GB-CARE-2026-27"],
    )
    assert _asked(values(), Problems()).rule_sets == [None]  # the rules in force on the date


def test_bad_input_is_named_on_its_field() -> None:
    cases = [
        (values(case=""), "case", "Enter the case"),
        (values(case='{"descriptors": '), "case", "must be JSON"),
        (values(case="[1]"), "case", "must be a JSON object"),
        (values(**{"on-day": "31", "on-month": "2"}), "on-day", "must be a real date"),
        (values(**{"on-day": "", "on-month": "", "on-year": ""}), "on-day", "Enter the date"),
        (
            values(rule_set_a="GB-CARE-2025-26", rule_set_b="GB-CARE-2025-26"),
            "rule_set_b",
            "different",
        ),
    ]
    for sent, field, words in cases:
        problems = Problems()
        _asked(sent, problems)
        assert words in problems.errors[field], (sent, problems.errors)
