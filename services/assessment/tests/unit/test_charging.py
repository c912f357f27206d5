"""Charging to SI 2014/2672: the Minimum Income Guarantee's premiums, children and couples, the
night-care disregard and care homes. Worked cases in 2025/26 pence:
personal amount 25+ 11250, disability premium 4965 (couple 3540), enhanced 2425 (couple 1745),
carer 5325, child 10295, couple 8835; AA 7390/11040, DLA care 2920/7390/11040; PEA 3065."""

from datetime import date

import pytest
from assessment.domain import InvalidAssessment, MeansFacts, decide
from assessment.domain.facts import PartnerFacts
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from .conftest import A_DAY_IN_2025_26

ESA = {"employment_and_support_allowance": 30000}


def lines(decision, prefix: str):
    return [line for line in decision.explanation if line.rule.startswith(prefix)]


def line(decision, rule: str):
    return next(line for line in decision.explanation if line.rule == rule)


def premiums(decision) -> dict[str, int]:
    return {p.premium: p.weekly_pence for p in decision.means.premiums}


@pytest.mark.parametrize(
    ("income", "facts", "expected"),
    [
        ({"pip_daily_living": 7390}, {}, {"disability": 4965}),
        ({"pip_mobility": 2920}, {}, {"disability": 4965}),
        ({"dla_care": 2920}, {}, {"disability": 4965}),
        ({"attendance_allowance": 7390}, {}, {"disability": 4965}),
        ({"pip_daily_living": 11040}, {}, {"disability": 4965, "enhanced_disability": 2425}),
        ({"dla_care": 11040}, {}, {"disability": 4965, "enhanced_disability": 2425}),
        ({"carers_allowance": 8330}, {}, {"carer": 5325}),
        ({}, {"entitled_to_carers_allowance": True}, {"carer": 5325}),
        (
            {"pip_daily_living": 11040, "carers_allowance": 8330},
            {},
            {"disability": 4965, "enhanced_disability": 2425, "carer": 5325},
        ),
        ({"state_pension": 8000, "earnings": 5000}, {}, {}),
    ],
)
def test_premiums_are_added_for_whoever_would_get_them_on_income_support(
    decide_2025, income, facts, expected
):
    decision = decide_2025("7e", weekly_income_pence={**ESA, **income}, **facts)

    assert premiums(decision) == expected
    assert decision.means.minimum_income_guarantee_weekly_pence == 11250 + sum(expected.values())
    for code in expected:
        premium_line = line(decision, f"means.premium.{code}")
        assert "so we add the" in premium_line.text
        assert "SI 1987/1967 Sch 2" in premium_line.citation
    assert len(lines(decision, "means.premium.")) == len(expected)


def test_the_contribution_falls_by_the_premiums(decide_2025):
    income = {**ESA, "pip_daily_living": 11040, "carers_allowance": 8330}
    decision = decide_2025("7e", weekly_income_pence=income, night_care_arranged=True)

    mig = 11250 + 4965 + 2425 + 5325
    assert decision.means.weekly_contribution_pence == 30000 + 11040 + 8330 - mig
    total = line(decision, "means.minimum_income_guarantee").text
    assert total == (
        "You keep a Minimum Income Guarantee of £239.65 a week: £112.50 for a single person aged "
        "25 to pension credit age + £49.65 disability premium + £24.25 enhanced disability "
        "premium + £53.25 carer premium."
    )


def test_a_member_of_a_couple_gets_the_couple_amounts(decide_2025):
    decision = decide_2025(
        "7e", weekly_income_pence={**ESA, "dla_care": 11040}, partner=PartnerFacts(age=45)
    )
    assert premiums(decision) == {"disability": 3540, "enhanced_disability": 1745}
    assert decision.means.minimum_income_guarantee_weekly_pence == 8835 + 3540 + 1745
    assert "As a member of a couple" in line(decision, "means.pension_credit_age").text


def test_a_partner_at_pension_credit_age_gives_the_couples_pension_age_amount(decide_2025):
    partner = PartnerFacts(date_of_birth=date(1950, 1, 1))
    decision = decide_2025("7e", age=60, partner=partner)
    assert decision.means.minimum_income_guarantee_weekly_pence == 17755
    assert (
        "one or both of pension credit age" in line(decision, "means.minimum_income_guarantee").text
    )


def test_a_lone_parent_gets_the_lone_parent_amount_and_an_amount_per_child(decide_2025):
    decision = decide_2025("7e", age=22, dependent_children=2)
    assert decision.means.minimum_income_guarantee_weekly_pence == 11250 + 2 * 10295
    children = line(decision, "means.minimum_income_guarantee.children")
    assert children.text == (
        "We add £102.95 a week for each of your 2 dependent children: £205.90."
    )


def test_at_pension_credit_age_only_the_carer_premium_is_added(decide_2025):
    income = {"state_pension": 23000, "attendance_allowance": 7390}
    decision = decide_2025(
        "7e", age=70, weekly_income_pence=income, entitled_to_carers_allowance=True
    )
    assert premiums(decision) == {"carer": 5325}
    assert decision.means.minimum_income_guarantee_weekly_pence == 23260 + 5325
    refused = line(decision, "means.premium.disability").text
    assert refused == (
        "You get Attendance Allowance, but the disability premium is only for people under "
        "pension credit age, so we do not add it."
    )


# --- the night-care disregard ---


@pytest.mark.parametrize(
    ("benefit", "paid", "counted"),
    [("attendance_allowance", 11040, 7390), ("dla_care", 11040, 7390)],
)
def test_without_night_care_the_day_and_night_rate_counts_at_the_day_rate(
    decide_2025, benefit, paid, counted
):
    decision = decide_2025("7e", age=70, weekly_income_pence={benefit: paid})

    assert decision.means.counted_income_weekly_pence == counted
    assert [(d.disregard, d.income_type, d.weekly_pence) for d in decision.means.disregards] == [
        ("night_care", benefit, paid - counted)
    ]
    disregard = line(decision, f"means.disregard.night_care.{benefit}")
    assert "No night care is arranged for you" in disregard.text
    assert f"ignore £{(paid - counted) / 100:.2f} a week" in disregard.text
    assert "Annex C" in disregard.citation


@pytest.mark.parametrize("benefit", ["attendance_allowance", "dla_care"])
def test_with_night_care_arranged_all_of_it_counts(decide_2025, benefit):
    decision = decide_2025(
        "7e", age=70, weekly_income_pence={benefit: 11040}, night_care_arranged=True
    )
    assert decision.means.counted_income_weekly_pence == 11040
    assert decision.means.disregards == ()
    assert (
        "Night care is arranged for you, so we count all of it"
        in line(decision, f"means.disregard.night_care.{benefit}").text
    )


def test_pip_daily_living_and_lower_rates_have_no_night_care_part(decide_2025):
    income = {"pip_daily_living": 11040, "attendance_allowance": 7390}
    decision = decide_2025("7e", weekly_income_pence=income)
    assert decision.means.counted_income_weekly_pence == 11040 + 7390
    assert not lines(decision, "means.disregard.")


def test_night_care_disregard_and_premiums_together(decide_2025):
    income = {**ESA, "dla_care": 11040}
    off = decide_2025("7e", weekly_income_pence=income)
    on = decide_2025("7e", weekly_income_pence=income, night_care_arranged=True)
    mig = 11250 + 4965 + 2425
    assert off.means.weekly_contribution_pence == 30000 + 7390 - mig
    assert on.means.weekly_contribution_pence == 30000 + 11040 - mig


def test_an_amount_that_is_no_rate_needs_the_rate(rules, make_facts, decide_2025):
    facts = make_facts("7e", age=70, weekly_income_pence={"attendance_allowance": 8000})
    with pytest.raises(InvalidAssessment) as raised:
        decide(facts, rules, A_DAY_IN_2025_26)
    [(field, message)] = raised.value.errors
    assert field == "means.benefit_rates.attendance_allowance"
    assert message == (
        "give the rate Attendance Allowance is paid at: £80.00 a week is none of this year's "
        "rates (lower £73.90 or higher £110.40)"
    )
    decision = decide_2025(
        "7e",
        age=70,
        weekly_income_pence={"attendance_allowance": 8000},
        benefit_rates={"attendance_allowance": "higher"},
    )
    assert decision.means.counted_income_weekly_pence == 7390


def test_a_rate_must_be_known_and_its_benefit_given(rules, make_facts):
    facts = make_facts(
        "7e",
        weekly_income_pence={"dla_care": 11040},
        benefit_rates={"dla_care": "top", "attendance_allowance": "higher", "earnings": "x"},
    )
    with pytest.raises(InvalidAssessment) as raised:
        decide(facts, rules, A_DAY_IN_2025_26)
    errors = {e.field: e.message for e in raised.value.errors}
    assert errors == {
        "means.benefit_rates.dla_care": "unknown rate 'top'; use lowest, middle or highest",
        "means.benefit_rates.attendance_allowance": (
            "attendance_allowance is not in means.weekly_income_pence"
        ),
        "means.benefit_rates.earnings": (
            "no rates for 'earnings'; rates are known for attendance_allowance, dla_care, "
            "pip_daily_living"
        ),
    }


# --- care homes ---


def in_care_home(days: int, **means):
    return {"care_setting": "care_home", "days_in_care_home": days, **means}


@pytest.mark.parametrize(("days", "counted"), [(0, 11040), (28, 11040), (29, 0), (400, 0)])
def test_attendance_allowance_stops_counting_after_28_days_in_a_care_home(
    decide_2025, days, counted
):
    income = {"state_pension": 23000, "attendance_allowance": 11040}
    decision = decide_2025("7e", age=80, **in_care_home(days, weekly_income_pence=income))

    means = decision.means
    assert means.counted_income_weekly_pence == 23000 + counted
    assert (means.minimum_income_guarantee_weekly_pence, means.premiums) == (0, ())
    assert means.personal_expenses_allowance_weekly_pence == 3065
    assert means.weekly_contribution_pence == 23000 + counted - 3065
    stay = line(decision, "means.disregard.care_home_stay.attendance_allowance")
    assert f"for {days} day" in stay.text
    assert ("we do not count it" in stay.text) == (days > 28)
    assert "SI 1991/2740 reg 7" in stay.citation
    assert line(decision, "means.personal_expenses_allowance").text == (
        "You live in a care home, so instead of a Minimum Income Guarantee you keep a Personal "
        "Expenses Allowance of £30.65 a week."
    )
    assert "£30.65 personal expenses allowance" in line(decision, "means.contribution").text


@pytest.mark.parametrize("benefit", ["pip_daily_living", "dla_care"])
def test_pip_daily_living_and_dla_care_stop_too_but_not_the_mobility_parts(decide_2025, benefit):
    income = {benefit: 11040, "pip_mobility": 2920, "employment_and_support_allowance": 9000}
    before = decide_2025("7e", **in_care_home(10, weekly_income_pence=income))
    after = decide_2025("7e", **in_care_home(40, weekly_income_pence=income))
    assert before.means.counted_income_weekly_pence == 9000 + 11040
    assert after.means.counted_income_weekly_pence == 9000
    assert [d.disregard for d in after.means.disregards] == ["care_home_stay"]


def test_no_night_care_disregard_in_a_care_home(decide_2025):
    income = {"attendance_allowance": 11040}
    decision = decide_2025("7e", age=80, **in_care_home(5, weekly_income_pence=income))
    assert decision.means.counted_income_weekly_pence == 11040
    assert not lines(decision, "means.disregard.night_care")


def test_a_self_funder_in_a_care_home_pays_the_full_cost(decide_2025):
    income = {"attendance_allowance": 11040}
    decision = decide_2025(
        "7e", age=80, capital_pence=3000000, **in_care_home(40, weekly_income_pence=income)
    )
    assert not decision.means.financially_eligible
    assert decision.means.counted_income_weekly_pence == 11040  # not paid for from public funds
    assert decision.means.weekly_contribution_pence == decision.award.gross_weekly_pence


def test_care_home_facts_are_checked(rules, make_facts):
    def errors(**means):
        with pytest.raises(InvalidAssessment) as raised:
            decide(make_facts("7e", **means), rules, A_DAY_IN_2025_26)
        return {e.field: e.message for e in raised.value.errors}

    assert errors(care_setting="care_home") == {
        "means.days_in_care_home": "is required in a care home"
    }
    assert errors(days_in_care_home=3) == {
        "means.days_in_care_home": "only for care_setting care_home"
    }
    assert errors(care_setting="hospital") == {
        "means.care_setting": "must be own_home or care_home"
    }
    housing = errors(**in_care_home(3, housing_costs_pence=1000))
    assert housing["means.housing_costs_pence"].startswith(
        "is not deducted for someone living in a care home"
    )
    assert "means.days_in_care_home" in errors(**in_care_home(-1))


def test_new_means_facts_are_checked(rules, make_facts):
    facts = make_facts(
        "7e",
        night_care_arranged="yes",
        entitled_to_carers_allowance=None,
        dependent_children=1.5,
        partner=PartnerFacts(),
    )
    with pytest.raises(InvalidAssessment) as raised:
        decide(facts, rules, A_DAY_IN_2025_26)
    assert {e.field for e in raised.value.errors} == {
        "means.night_care_arranged",
        "means.entitled_to_carers_allowance",
        "means.dependent_children",
        "means.partner.age",
    }


def test_todays_inputs_get_the_defaults(rules):
    means = MeansFacts(capital_pence=0, weekly_income_pence={}, age=40)
    assert (means.care_setting, means.night_care_arranged, means.dependent_children) == (
        "own_home",
        False,
        0,
    )
    assert (means.partner, means.entitled_to_carers_allowance, means.benefit_rates) == (
        None,
        False,
        {},
    )


# --- properties ---

INCOME_TYPES = [
    "earnings",
    "pip_mobility",
    "pip_daily_living",
    "attendance_allowance",
    "dla_care",
    "state_pension",
    "employment_and_support_allowance",
    "carers_allowance",
    "other",
]
RATES = {
    "pip_daily_living": [7390, 11040],
    "attendance_allowance": [7390, 11040],
    "dla_care": [2920, 7390, 11040],
}


@st.composite
def weekly_income(draw):
    income = {}
    for kind in draw(st.lists(st.sampled_from(INCOME_TYPES), unique=True, max_size=5)):
        rates = RATES.get(kind)
        income[kind] = draw(st.sampled_from(rates)) if rates else draw(st.integers(0, 60000))
    return income


MEANS = dict(
    capital_pence=st.integers(0, 2325000),
    weekly_income_pence=weekly_income(),
    age=st.integers(18, 99),
    housing_costs_pence=st.integers(0, 30000),
    disability_related_expenditure_pence=st.integers(0, 5000),
    night_care_arranged=st.booleans(),
    entitled_to_carers_allowance=st.booleans(),
    dependent_children=st.integers(0, 4),
)
SETTINGS = settings(
    max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@SETTINGS
@given(**MEANS)
def test_the_contribution_never_exceeds_the_income_above_the_guarantee(decide_2025, **means):
    decision = decide_2025("7e", **means)
    m = decision.means
    above = m.counted_income_weekly_pence + m.tariff_income_weekly_pence
    above -= m.minimum_income_guarantee_weekly_pence
    assert 0 <= m.weekly_contribution_pence <= max(0, above)
    assert m.counted_income_weekly_pence + m.disregarded_income_weekly_pence == sum(
        means["weekly_income_pence"].values()
    )


@SETTINGS
@given(**MEANS)
def test_being_entitled_to_carers_allowance_never_raises_the_contribution(decide_2025, **means):
    means.pop("entitled_to_carers_allowance")
    without = decide_2025("7e", entitled_to_carers_allowance=False, **means)
    with_it = decide_2025("7e", entitled_to_carers_allowance=True, **means)
    assert with_it.means.weekly_contribution_pence <= without.means.weekly_contribution_pence
    assert with_it.means.minimum_income_guarantee_weekly_pence == (
        without.means.minimum_income_guarantee_weekly_pence
        + (0 if "carer" in premiums(without) else 5325)
    )


@SETTINGS
@given(
    income=weekly_income(),
    capital=st.integers(0, 2325000),
    days=st.integers(0, 120),
)
def test_in_a_care_home_the_person_keeps_the_allowance(decide_2025, income, capital, days):
    decision = decide_2025(
        "7e", age=80, capital_pence=capital, **in_care_home(days, weekly_income_pence=income)
    )
    m = decision.means
    above = m.counted_income_weekly_pence + m.tariff_income_weekly_pence - 3065
    assert m.weekly_contribution_pence == max(0, above)
