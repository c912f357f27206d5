"""The assessors' forms: money as people type it, and a service's field names on the page's
inputs."""

import pytest
from portal.assessor.forms import Problems, date_from, pence


@pytest.mark.parametrize(
    ("typed", "expected"),
    [("150", 15000), ("£1,234.5", 123450), ("0.07", 7), (" 12.30 ", 1230), ("", None)],
)
def test_pounds_and_pence_become_whole_pence(typed, expected) -> None:
    problems = Problems()
    assert pence(typed, problems, "capital", "Capital") == expected and not problems


@pytest.mark.parametrize(
    ("typed", "words"),
    [("12.345", "whole pence"), ("-5", "an amount of money"), ("ten", "an amount of money")],
)
def test_anything_else_is_an_error_on_the_field(typed, words) -> None:
    problems = Problems()
    assert pence(typed, problems, "capital", "Capital") is None
    assert words in problems.errors["capital"]
    assert problems.summary() == [{"text": problems.errors["capital"], "href": "#capital"}]


def test_a_service_error_goes_on_the_input_its_field_names() -> None:
    problems = Problems()
    fields = {"means.weekly_income_pence.other": "income-other", "means": "capital"}
    problems.from_service(
        [
            ("means.weekly_income_pence.other", "must not be negative"),
            ("means.partner.age", "give exactly one"),
            ("elsewhere", "odd"),
        ],
        fields,
        "notes",
    )
    assert problems.errors == {
        "income-other": "Must not be negative",
        "capital": "Give exactly one",
        "notes": "Odd",
    }


def test_a_date_that_is_not_real_is_an_error_on_its_day() -> None:
    problems = Problems()
    assert date_from("31", "2", "2025", problems, "change-day", "The date") is None
    assert "real date" in problems.errors["change-day"]
