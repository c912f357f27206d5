"""A person's age on a day, and whether they have reached pension credit age by then."""

from dataclasses import dataclass
from datetime import date, timedelta

from wording import add_months

from assessment.domain.rules import PensionCreditAge


@dataclass(frozen=True)
class PensionCreditStatus:
    reached: bool
    reached_on: date | None
    """The day pension credit age is (or was) reached; None when only the age was given."""


def age_on(age: int | None, born: date | None, on: date) -> int:
    if born is None:
        return age  # type: ignore[return-value]  # validation ensures one is given
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


def pension_credit_status(
    age: int | None, born: date | None, on: date, table: PensionCreditAge
) -> PensionCreditStatus | None:
    """From the date of birth; from an age alone only when every birth date that gives that
    age on `on` gives the same answer (None: the date of birth is needed)."""
    if born is not None:
        reached_on = table.reached_on(born)
        return PensionCreditStatus(reached_on <= on, reached_on)
    if age is None:  # the caller gives the date of birth or the age
        raise ValueError("neither a date of birth nor an age")
    earliest = add_months(on, -12 * (age + 1)) + timedelta(days=1)
    latest = add_months(on, -12 * age)
    answers = {table.reached_on(born) <= on for born in (earliest, latest)}
    return PensionCreditStatus(answers.pop(), None) if len(answers) == 1 else None
