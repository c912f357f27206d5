"""Pension credit age follows the State Pension age of a woman born on the same day."""

from datetime import date, timedelta

import pytest
from assessment.domain import InvalidAssessment, decide
from assessment.domain.facts import PartnerFacts

# Written out by hand from the DWP State Pension age timetable (Pensions Acts 1995, 2007, 2011
# and 2014): date of birth -> the day pension credit age is reached.
TIMETABLE = {
    date(1950, 4, 5): date(2010, 4, 5),  # 60th birthday
    date(1950, 4, 6): date(2010, 5, 6),
    date(1951, 8, 20): date(2013, 1, 6),
    date(1953, 3, 10): date(2016, 3, 6),
    date(1953, 4, 6): date(2016, 7, 6),
    date(1953, 11, 30): date(2018, 11, 6),
    date(1953, 12, 6): date(2019, 3, 6),
    date(1954, 9, 30): date(2020, 9, 6),
    date(1954, 10, 6): date(2020, 10, 6),  # 66th birthday
    date(1960, 4, 5): date(2026, 4, 5),
    date(1960, 4, 6): date(2026, 5, 6),  # 66 years 1 month
    date(1960, 5, 31): date(2026, 7, 31),  # 66 years 2 months
    date(1960, 7, 31): date(2026, 11, 30),  # 66 years 4 months: no 31 November
    date(1961, 3, 5): date(2028, 2, 5),  # 66 years 11 months
    date(1961, 3, 6): date(2028, 3, 6),  # 67th birthday
    date(1977, 4, 6): date(2044, 5, 6),
    date(1978, 3, 20): date(2046, 3, 6),
    date(1978, 4, 6): date(2046, 4, 6),  # 68th birthday
}


@pytest.mark.parametrize(("born", "reached"), TIMETABLE.items())
def test_every_rule_set_follows_the_state_pension_age_timetable(rulebook, born, reached):
    for rule_set in rulebook.rule_sets:
        assert rule_set.pension_credit_age.reached_on(born) == reached, rule_set.id


@pytest.mark.parametrize(
    "born",
    [date(1958, 9, 14), date(1959, 6, 1), date(1960, 4, 6), date(1960, 12, 10), date(1961, 3, 6)],
)
def test_a_person_turning_pension_credit_age_gets_the_pension_age_guarantee(
    rulebook, make_facts, born
):
    reached = rulebook.rule_sets[0].pension_credit_age.reached_on(born)
    facts = make_facts("7e", age=None, date_of_birth=born)
    for day, pension_age in ((reached - timedelta(days=1), False), (reached, True)):
        rules = rulebook.in_force_on(day)
        decision = decide(facts, rules, day)
        guarantee = rules.means_test.minimum_income_guarantee
        expected = guarantee.personal_amount("single", 66, pension_age).weekly_pence
        assert decision.means.pension_credit_age is pension_age, day
        assert decision.means.minimum_income_guarantee_weekly_pence == expected, day
        text = next(x.text for x in decision.explanation if x.rule == "means.pension_credit_age")
        verb = "reached" if pension_age else "will reach"
        assert text.startswith(f"You {verb} pension credit age on "), text


def test_at_66_after_april_2026_an_age_alone_is_not_enough(rules, rulebook, make_facts):
    on = date(2026, 6, 1)
    with pytest.raises(InvalidAssessment) as raised:
        decide(make_facts("7e", age=66), rulebook.in_force_on(on), on)
    [(field, message)] = raised.value.errors
    assert field == "means.age"
    assert message == (
        "at 66 on 2026-06-01, whether pension credit age has been reached depends on the date "
        "of birth: give means.date_of_birth instead"
    )


@pytest.mark.parametrize(("age", "reached"), [(65, False), (66, True), (67, True)])
def test_an_age_alone_is_enough_when_every_birthday_agrees(decide_2025, age, reached):
    decision = decide_2025("7e", age=age)
    assert decision.means.pension_credit_age is reached
    side = "over" if reached else "under"
    assert any(
        x.text == f"At {age} you are {side} pension credit age." for x in decision.explanation
    )


def test_a_partners_age_alone_must_settle_it_too(rulebook, make_facts):
    on = date(2026, 6, 1)
    facts = make_facts("7e", age=40, partner=PartnerFacts(age=66))
    with pytest.raises(InvalidAssessment) as raised:
        decide(facts, rulebook.in_force_on(on), on)
    assert [e.field for e in raised.value.errors] == ["means.partner.age"]


def test_over_the_capital_limit_pension_credit_age_does_not_matter(rulebook, make_facts):
    on = date(2026, 6, 1)
    facts = make_facts("7e", age=66, capital_pence=3000000)
    decision = decide(facts, rulebook.in_force_on(on), on)
    assert decision.means.pension_credit_age is None and not decision.means.financially_eligible
