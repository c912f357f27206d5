"""Which descriptor applies when several apply on different days: SI 2013/377 reg 7(1)(a)-(c),
and the reliability criteria of reg 4(2A)."""

from dataclasses import replace

import pytest
from assessment.domain import InvalidAssessment, decide
from assessment.domain.case_input import facts_from_mapping
from assessment.domain.facts import ActivityDays, DescriptorDays
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from .conftest import A_DAY_IN_2025_26

UNSAFE = {"safely": False}


def over(period: int, *given: tuple) -> ActivityDays:
    """over(28, ("1d", 20), ("1f", 8, {"safely": False}))"""
    return ActivityDays(period, tuple(DescriptorDays(*entry) for entry in given))


def with_activity(facts, number: str, days: ActivityDays):
    return replace(facts, descriptors={**facts.descriptors, number: days})


@pytest.fixture
def decide_days(rules, make_facts):
    """Activity 1 (preparing food) given with its days; everything else at 'a'."""

    def run(days: ActivityDays, number: str = "1"):
        return decide(with_activity(make_facts(), number, days), rules, A_DAY_IN_2025_26)

    return run


def score(decision, activity: str = "1"):
    component = "mobility" if activity in ("11", "12") else "daily_living"
    return next(s for s in decision.components[component].activities if s.activity == activity)


def line(decision, rule: str):
    return next(line for line in decision.explanation if line.rule == rule)


def test_one_descriptor_over_half_the_days_applies(decide_days):
    decision = decide_days(over(28, ("1a", 13), ("1f", 15)))

    chosen = score(decision)
    assert (chosen.descriptor, chosen.points, chosen.choice.rule) == ("1f", 8, "one_over")
    text = line(decision, "functional.activity.1")
    assert "applies on 15 of the 28 days, more than half" in text.text
    assert text.citation == "SI 2013/377 Sch 1 Part 2 activity 1; SI 2013/377 reg 7(1)(a)"


def test_exactly_half_the_days_is_not_over_half(decide_days):
    chosen = score(decide_days(over(28, ("1a", 14), ("1f", 14))))
    # neither is over half; 1f alone (the only scoring one) is not over half either
    assert (chosen.descriptor, chosen.points, chosen.choice.rule) == ("1a", 0, "none_over")


def test_of_two_over_half_the_higher_scoring_applies(decide_days):
    decision = decide_days(over(30, ("1e", 25), ("1f", 16)))

    chosen = score(decision)
    assert (chosen.descriptor, chosen.points, chosen.choice.rule) == ("1f", 8, "several_over")
    text = line(decision, "functional.activity.1")
    assert "1e and 1f each apply on more than half of the 30 days" in text.text
    assert text.citation.endswith("SI 2013/377 reg 7(1)(b)")


def test_none_over_half_but_scoring_ones_together_the_most_days_applies(decide_days):
    decision = decide_days(over(30, ("1a", 5), ("1d", 12), ("1e", 8), ("1f", 5)))

    chosen = score(decision)
    assert (chosen.descriptor, chosen.points, chosen.choice.rule) == ("1d", 2, "together_over")
    text = line(decision, "functional.activity.1")
    assert "apply on 25 days added together (1d on 12 days, 1e on 8 days, 1f on 5 days)" in (
        text.text
    )
    assert text.citation.endswith("SI 2013/377 reg 7(1)(c)(i)")


def test_equal_proportions_together_over_half_the_higher_scoring_applies(decide_days):
    decision = decide_days(over(30, ("1a", 10), ("1b", 10), ("1e", 10)))

    chosen = score(decision)
    assert (chosen.descriptor, chosen.points, chosen.choice.rule) == ("1e", 4, "together_equal")
    text = line(decision, "functional.activity.1")
    assert "1b and 1e apply on the same number of days" in text.text
    assert text.citation.endswith("SI 2013/377 reg 7(1)(c)(ii)")


def test_scoring_descriptors_together_at_most_half_score_nothing(decide_days):
    decision = decide_days(over(30, ("1a", 15), ("1d", 8), ("1f", 7)))

    chosen = score(decision)
    assert (chosen.descriptor, chosen.points, chosen.choice.rule) == ("1a", 0, "none_over")
    assert "on its own or added together (15 days)" in line(decision, "functional.activity.1").text


def test_a_descriptor_done_unreliably_does_not_count(decide_days):
    # 1a on 20 days but not safely: the person is treated as unable, and 1e (done reliably on the
    # same days) is the one over half
    decision = decide_days(over(28, ("1a", 20, UNSAFE), ("1e", 20), ("1f", 8)))

    chosen = score(decision)
    assert (chosen.descriptor, chosen.choice.rule) == ("1e", "one_over")
    considered = {c.descriptor: c for c in chosen.choice.considered}
    assert considered["1a"].counts is False
    assert considered["1a"].reliability == {
        "safely": False,
        "acceptable_standard": True,
        "repeatedly": True,
        "reasonable_time": True,
    }
    reliability = line(decision, "functional.activity.1.reliability.1a")
    assert 'cannot do what descriptor 1a describes ("Can prepare and cook a simple meal' in (
        reliability.text
    )
    assert 'unaided") safely.' in reliability.text
    assert (
        "only if you can do it safely, to an acceptable standard, repeatedly and within a "
        "reasonable time period" in reliability.text
    )
    assert reliability.citation == "SI 2013/377 reg 4(2A); SI 2013/377 reg 4(2A)(a), 4(4)"


@pytest.mark.parametrize(
    "criterion", ["safely", "acceptable_standard", "repeatedly", "reasonable_time"]
)
def test_each_reliability_criterion_failing_stops_the_descriptor_counting(decide_days, criterion):
    # 12b reliably on 20 of 28 days would score 4; failing any one criterion leaves 12e
    days = over(28, ("12b", 20, {criterion: False}), ("12e", 28))
    assert score(decide_days(days, "12"), "12").descriptor == "12e"


def test_several_criteria_failing_are_all_named(decide_days):
    days = over(28, ("1a", 28, {"safely": False, "reasonable_time": False}), ("1f", 28))
    reliability = line(decide_days(days), "functional.activity.1.reliability.1a")
    assert "safely or within a reasonable time period." in reliability.text


def test_a_single_code_and_the_same_descriptor_on_every_day_score_alike(rules, make_facts):
    as_code = decide(make_facts("4f"), rules, A_DAY_IN_2025_26)
    as_days = decide(
        with_activity(make_facts(), "4", over(90, ("4f", 90))), rules, A_DAY_IN_2025_26
    )
    assert score(as_days, "4").descriptor == score(as_code, "4").descriptor == "4f"
    assert as_days.components["daily_living"].points == as_code.components["daily_living"].points
    assert as_days.award == as_code.award
    assert score(as_code, "4").choice is None


def test_the_object_form_from_json_and_its_choice_in_the_output(rules, make_facts):
    data = {
        "descriptors": {
            **make_facts().descriptors,
            "9": {
                "period_days": 28,
                "applies": [
                    {"descriptor": "9a", "days": 10},
                    {"descriptor": "9c", "days": 18, "reliability": {"repeatedly": True}},
                ],
            },
        },
        "care_act": {
            "impairment_or_illness": True,
            "outcomes": {"a": "a", "b": "a"},
            "significant_wellbeing_impact": True,
        },
        "means": {"capital_pence": 0, "weekly_income_pence": {}, "age": 40},
    }
    decision = decide(facts_from_mapping(data), rules, A_DAY_IN_2025_26)
    plain = decision.to_dict()["components"]["daily_living"]["activities"][8]
    assert plain["descriptor"] == "9c" and plain["choice"]["rule"] == "one_over"
    assert [c["descriptor"] for c in plain["choice"]["considered"]] == ["9a", "9c"]


# --- bad input names the field ---


def _errors(rules, facts):
    with pytest.raises(InvalidAssessment) as raised:
        decide(facts, rules, A_DAY_IN_2025_26)
    return {e.field: e.message for e in raised.value.errors}


def test_days_that_do_not_cover_the_period_are_refused(rules, make_facts):
    facts = with_activity(make_facts(), "1", over(28, ("1d", 10), ("1f", 8)))
    message = _errors(rules, facts)["descriptors.1.applies"]
    assert message.startswith("the descriptors that count cover 18 of the 28 days")
    assert "1a on days none of the others applies" in message


def test_days_done_unreliably_do_not_cover_the_period(rules, make_facts):
    facts = with_activity(make_facts(), "1", over(28, ("1a", 20, UNSAFE), ("1f", 8)))
    assert "cover 8 of the 28 days" in _errors(rules, facts)["descriptors.1.applies"]


def test_more_days_than_the_period_and_bad_numbers_are_refused(rules, make_facts):
    facts = with_activity(make_facts(), "1", over(28, ("1a", 29), ("1f", 0)))
    errors = _errors(rules, facts)
    assert errors["descriptors.1.applies.0.days"] == (
        "must be at most 28 (the days in the period), got 29"
    )
    assert errors["descriptors.1.applies.1.days"] == "must be at least 1, got 0"
    bad_period = with_activity(make_facts(), "1", over(28.5, ("1a", 28)))
    assert "descriptors.1.period_days" in _errors(rules, bad_period)


def test_unknown_wrong_activity_and_repeated_codes_are_refused(rules, make_facts):
    facts = with_activity(make_facts(), "1", over(28, ("1z", 10), ("2f", 10), ("1a", 4), ("1a", 4)))
    errors = _errors(rules, facts)
    assert errors["descriptors.1.applies.0.descriptor"] == "unknown descriptor code '1z'"
    assert "belongs to activity 2" in errors["descriptors.1.applies.1.descriptor"]
    assert errors["descriptors.1.applies.3.descriptor"] == "1a is given twice"


def test_unknown_reliability_criteria_are_refused(rules, make_facts):
    facts = with_activity(make_facts(), "1", over(28, ("1a", 28, {"quickly": True, "safely": 1})))
    errors = _errors(rules, facts)
    assert errors["descriptors.1.applies.0.reliability.quickly"].startswith(
        "unknown reliability criterion 'quickly'"
    )
    assert errors["descriptors.1.applies.0.reliability.safely"] == "must be true or false"


def test_an_activity_with_no_descriptor_and_object_shapes_are_refused(rules, make_facts):
    data = {
        "descriptors": {
            **make_facts().descriptors,
            "1": {"period_days": 28},
            "2": {"period_days": 28, "applies": []},
            "3": {"period_days": 28, "applies": [{"descriptor": "3a", "day": 28}]},
        },
        "care_act": {
            "impairment_or_illness": True,
            "outcomes": {},
            "significant_wellbeing_impact": True,
        },
        "means": {"capital_pence": 0, "weekly_income_pence": {}, "age": 40},
    }
    del data["descriptors"]["4"]
    with pytest.raises(InvalidAssessment) as raised:
        decide(facts_from_mapping(data), rules, A_DAY_IN_2025_26)
    errors = {e.field: e.message for e in raised.value.errors}
    assert errors["descriptors.1.applies"] == "is required"
    assert errors["descriptors.2.applies"] == "must be a non-empty list"
    assert errors["descriptors.3.applies.0.days"] == "is required"
    assert errors["descriptors.3.applies.0.day"] == "unknown field"


# --- properties ---

SCORING = ["1b", "1c", "1d", "1e", "1f"]


@st.composite
def activity_days(draw):
    """Activity 1's scoring descriptors on some days, some done unreliably, and 1a on the days
    the reliable ones leave (so the period is covered)."""
    period = draw(st.integers(1, 400))
    entries = draw(
        st.lists(
            st.tuples(st.sampled_from(SCORING), st.integers(1, period), st.booleans()),
            max_size=5,
            unique_by=lambda entry: entry[0],
        )
    )
    given = [(code, days, {} if reliable else UNSAFE) for code, days, reliable in entries]
    left = period - sum(days for _, days, reliable in entries if reliable)
    if left > 0:
        given.append(("1a", left))
    return over(period, *given)


@settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(days=activity_days())
def test_the_descriptor_chosen_follows_reg_7(rules, make_facts, days):
    decision = decide(with_activity(make_facts(), "1", days), rules, A_DAY_IN_2025_26)
    chosen = score(decision)
    counting = [c for c in chosen.choice.considered if c.counts]
    scoring = [c for c in counting if c.points > 0]
    over_half = [c for c in counting if 2 * c.days > days.period_days]
    if chosen.choice.rule == "none_over":
        assert chosen.points == 0 and not over_half
        assert 2 * sum(c.days for c in scoring) <= days.period_days
        return
    assert chosen.descriptor in {c.descriptor for c in counting}
    assert all(c.points <= chosen.points for c in over_half)
    if chosen.choice.rule.startswith("together"):
        assert chosen.choice.considered and max(c.days for c in scoring) == next(
            c.days for c in scoring if c.descriptor == chosen.descriptor
        )
