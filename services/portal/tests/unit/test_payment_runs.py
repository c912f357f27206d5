"""The payments officers' pages: what payments' refusals say to the officer, and the run date
as typed."""

from datetime import date

from portal.assessor.forms import Problems
from portal.clients import Answer
from portal.payment_runs import refusal, run_date_from


def answer(status: int, field: str, message: str) -> Answer:
    return Answer(status, {"errors": [{"field": field, "message": message}]}, {})


def test_the_officer_who_started_a_run_is_told_another_must_approve_it() -> None:
    told = refusal(answer(403, "authorization", "the officer who started a run cannot approve"))
    assert told == "You started this run. A different payments officer must approve it."


def test_other_refusals_give_payments_reason() -> None:
    told = refusal(answer(409, "run_id", "payment run R1 was approved already"))
    assert told == "This run cannot be approved now: payment run R1 was approved already."
    assert refusal(Answer(409, None, {})).endswith("payments refused it.")


def test_a_run_date_is_read_from_its_three_parts() -> None:
    problems = Problems()
    typed = {"run_date-day": "6", "run_date-month": "1", "run_date-year": "2027"}
    assert run_date_from(typed, problems) == date(2027, 1, 6) and not problems


def test_a_missing_or_impossible_run_date_is_named_on_the_day_field() -> None:
    missing, impossible = Problems(), Problems()
    assert run_date_from({}, missing) is None
    assert missing.errors == {"run_date-day": "Enter the run date"}
    typed = {"run_date-day": "31", "run_date-month": "2", "run_date-year": "2027"}
    assert run_date_from(typed, impossible) is None
    assert impossible.errors == {"run_date-day": "The run date must be a real date, like 27 3 2025"}
