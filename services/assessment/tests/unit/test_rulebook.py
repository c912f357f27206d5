"""Rule sets as dated data files: loading, checking, and choosing the one in force."""

from datetime import date

import pytest
from assessment.adapters.rulesets import RULESETS_DIR, InvalidRuleSet, load_rulebook
from assessment.domain import NoRuleSetInForce

RATES = {  # (daily living standard, enhanced, mobility standard, enhanced) in pence
    "GB-CARE-2024-25": (7265, 10855, 2870, 7575),
    "GB-CARE-2025-26": (7390, 11040, 2920, 7705),
    "GB-CARE-2026-27": (7670, 11460, 3030, 8000),
}


@pytest.mark.parametrize(
    ("on", "rule_set_id"),
    [
        (date(2024, 4, 8), "GB-CARE-2024-25"),
        (date(2025, 4, 6), "GB-CARE-2024-25"),
        (date(2025, 4, 7), "GB-CARE-2025-26"),
        (date(2026, 4, 5), "GB-CARE-2025-26"),
        (date(2026, 4, 6), "GB-CARE-2026-27"),
        (date(2031, 1, 1), "GB-CARE-2026-27"),
    ],
)
def test_latest_rule_set_starting_on_or_before_the_date(rulebook, on, rule_set_id):
    assert rulebook.in_force_on(on).id == rule_set_id


def test_no_rule_set_before_the_first(rulebook):
    with pytest.raises(NoRuleSetInForce, match="2024-04-07"):
        rulebook.in_force_on(date(2024, 4, 7))


@pytest.mark.parametrize("rule_set_id", RATES)
def test_weekly_rates_per_year(rulebook, rule_set_id):
    rates = rulebook.by_id(rule_set_id).weekly_rates
    dl, mobility = rates["daily_living"], rates["mobility"]
    assert (
        dl.standard_pence,
        dl.enhanced_pence,
        mobility.standard_pence,
        mobility.enhanced_pence,
    ) == RATES[rule_set_id]


def test_only_2026_27_is_proposed(rulebook):
    statuses = {r.id: r.status for r in rulebook.rule_sets}
    assert statuses == {
        "GB-CARE-2024-25": "in_force",
        "GB-CARE-2025-26": "in_force",
        "GB-CARE-2026-27": "proposed",
    }


def test_every_parameter_is_cited(rulebook):
    for rule_set in rulebook.rule_sets:
        means = rule_set.means_test
        cited = [
            *rule_set.components,
            *rule_set.activities,
            *rule_set.thresholds.values(),
            *rule_set.weekly_rates.values(),
            means.capital_lower_limit,
            means.capital_upper_limit,
            means.tariff_income,
            *means.minimum_income_guarantee.personal_amounts,
            means.minimum_income_guarantee.per_dependent_child,
            *means.minimum_income_guarantee.premiums,
            *means.income_types,
            means.night_care,
            means.care_home.personal_expenses_allowance,
            *rule_set.benefit_rates.values(),
            rule_set.pension_credit_age,
            rule_set.reliability,
            *rule_set.reliability.criteria,
            *rule_set.adult_eligibility.outcome_test.outcomes,
            *rule_set.adult_eligibility.outcome_test.limbs,
            *rule_set.carer_eligibility.outcome_test.outcomes,
            *rule_set.carer_eligibility.outcome_test.limbs,
        ]
        assert all(item.citation.strip() for item in cited), rule_set.id
        assert means.care_home.benefits_stop_citation.strip()
        choice = rule_set.descriptor_choice
        assert all(
            c.strip()
            for c in (
                choice.one_over_citation,
                choice.several_over_citation,
                choice.together_over_citation,
                choice.together_equal_citation,
                choice.none_over_citation,
            )
        )


def _copy_with(tmp_path, old, new, name="GB-CARE-2025-26.yaml", new_name=None, *more):
    text = (RULESETS_DIR / name).read_text(encoding="utf-8")
    for before, after in ((old, new), *more):
        assert before in text
        text = text.replace(before, after, 1)
    (tmp_path / (new_name or name)).write_text(text, encoding="utf-8")
    return tmp_path


def _errors(directory):
    with pytest.raises(InvalidRuleSet) as raised:
        load_rulebook(directory)
    return {e.field: e.message for e in raised.value.errors}


def test_float_money_is_rejected_naming_the_field(tmp_path):
    errors = _errors(_copy_with(tmp_path, "standard_pence: 7390", "standard_pence: 73.90"))
    field = "GB-CARE-2025-26.yaml:weekly_rates.daily_living.standard_pence"
    assert errors == {field: "money must be integer pence, got the float 73.9"}


def test_float_capital_limit_is_rejected(tmp_path):
    errors = _errors(_copy_with(tmp_path, "pence: 2325000", "pence: 23250.00"))
    assert "GB-CARE-2025-26.yaml:means_test.capital_upper_limit.pence" in errors


def test_missing_citation_and_unknown_key_are_rejected(tmp_path):
    old = "mobility: {standard: 8, enhanced: 12, citation: SI 2013/377 reg 6(3)}"
    errors = _errors(_copy_with(tmp_path, old, old.replace("citation", "cite")))
    assert set(errors) == {
        "GB-CARE-2025-26.yaml:thresholds.mobility.citation",
        "GB-CARE-2025-26.yaml:thresholds.mobility.cite",
    }


def test_descriptor_code_must_match_its_activity(tmp_path):
    errors = _errors(_copy_with(tmp_path, "{code: 2f, points: 10", "{code: 3g, points: 10"))
    assert any("must be the activity number then a letter" in m for m in errors.values())


def test_two_rule_sets_cannot_start_on_the_same_day(tmp_path):
    _copy_with(tmp_path, "id: GB-CARE-2025-26", "id: GB-CARE-2025-26")
    _copy_with(tmp_path, "id: GB-CARE-2025-26", "id: GB-CARE-COPY", new_name="copy.yaml")
    assert set(_errors(tmp_path)) == {
        "copy.yaml:effective_from",
        "copy.yaml:means_test.effective_from",
    }


def test_a_new_year_is_just_a_new_file(tmp_path):
    for source in RULESETS_DIR.glob("*.yaml"):
        (tmp_path / source.name).write_bytes(source.read_bytes())
    _copy_with(
        tmp_path,
        "id: GB-CARE-2026-27",
        "id: GB-CARE-2027-28",
        "GB-CARE-2026-27.yaml",
        "GB-CARE-2027-28.yaml",
        ("effective_from: 2026-04-06", "effective_from: 2027-04-12"),
        ("effective_from: 2026-04-06", "effective_from: 2027-04-06"),
    )
    rulebook = load_rulebook(tmp_path)
    assert rulebook.in_force_on(date(2027, 4, 11)).id == "GB-CARE-2026-27"
    assert rulebook.in_force_on(date(2027, 4, 11)).means_test.rule_set_id == "GB-CARE-2027-28"
    assert rulebook.in_force_on(date(2027, 4, 12)).id == "GB-CARE-2027-28"


@pytest.mark.parametrize(
    ("old", "new", "field", "message"),
    [
        (
            "qualifying_benefits: [{income_type: carers_allowance}]",
            "qualifying_benefits: [{income_type: carers_benefit}]",
            "GB-CARE-2025-26.yaml:means_test",
            "unknown income types ['carers_benefit']: not in income_types",
        ),
        (
            "{income_type: dla_care, paid_at: highest, counted_at: middle}",
            "{income_type: dla_care, paid_at: highest, counted_at: medium}",
            "GB-CARE-2025-26.yaml:$",
            "disability_benefit_rates: dla_care: no rate named medium",
        ),
        (
            "rates: {lower: 7390, higher: 11040}",
            "rates: {lower: 11040, higher: 7390}",
            "GB-CARE-2025-26.yaml:disability_benefit_rates.attendance_allowance.rates",
            "give distinct rates, lowest first",
        ),
        (
            "- {born_from: 1954-10-06, years: 66}",
            "- {born_from: 1954-10-06, years: 66, reached_on: 2020-10-06}",
            "GB-CARE-2025-26.yaml:pension_credit_age.by_date_of_birth[55]",
            "give either reached_on or years (and months)",
        ),
        (
            "- {born_from: 1961-03-06, years: 67}",
            "- {born_from: 1961-03-06, years: 65}",
            "GB-CARE-2025-26.yaml:pension_credit_age.by_date_of_birth",
            "a later birth must never reach pension credit age earlier",
        ),
        (
            "qualifying_facts: [entitled_to_carers_allowance]",
            "qualifying_facts: [is_a_carer]",
            "GB-CARE-2025-26.yaml:means_test.minimum_income_guarantee.premiums[2]"
            ".qualifying_facts[0]",
            "Input should be 'entitled_to_carers_allowance'",
        ),
    ],
)
def test_the_charging_tables_are_checked(tmp_path, old, new, field, message):
    errors = _errors(_copy_with(tmp_path, old, new))
    assert errors[field] == message, errors


def test_2026_27_keeps_the_references_proposed_rates_and_says_so(rulebook):
    rule_set = rulebook.by_id("GB-CARE-2026-27")
    assert rule_set.status == "proposed" and rule_set.status_note
    rates = {code: r.rates for code, r in rule_set.benefit_rates.items()}
    assert rates == {  # uk-rules.md §2.3, 2026/27 proposed
        "attendance_allowance": {"lower": 7670, "higher": 11460},
        "dla_care": {"lowest": 3030, "middle": 7670, "highest": 11460},
        "pip_daily_living": {"standard": 7670, "enhanced": 11460},
    }
    mig = rule_set.means_test.minimum_income_guarantee
    carried = rulebook.by_id("GB-CARE-2025-26").means_test.minimum_income_guarantee
    assert [a.weekly_pence for a in mig.personal_amounts] == [
        a.weekly_pence for a in carried.personal_amounts
    ]
    assert all("carried forward" in (a.verify or "") for a in mig.personal_amounts)


@pytest.mark.parametrize(
    ("rule_set_id", "amounts"),
    [  # uk-rules.md §4.2 and §4.3: 18-24, 25+, pension age, lone parent, couple, couple pension
        # age, child, disability single/couple, enhanced single/couple, carer, PEA
        (
            "GB-CARE-2024-25",
            (8765, 11060, 22870, 11060, 8685, 17460, 10125, 4880, 3480, 2385, 1715, 5235, 3015),
        ),
        (
            "GB-CARE-2025-26",
            (8915, 11250, 23260, 11250, 8835, 17755, 10295, 4965, 3540, 2425, 1745, 5325, 3065),
        ),
    ],
)
def test_charging_amounts_are_the_references(rulebook, rule_set_id, amounts):
    means = rulebook.by_id(rule_set_id).means_test
    mig = means.minimum_income_guarantee
    premiums = {p.code: p for p in mig.premiums}
    assert (
        *(a.weekly_pence for a in mig.personal_amounts),
        mig.per_dependent_child.pence,
        premiums["disability"].single_pence,
        premiums["disability"].couple_pence,
        premiums["enhanced_disability"].single_pence,
        premiums["enhanced_disability"].couple_pence,
        premiums["carer"].single_pence,
        means.care_home.personal_expenses_allowance.pence,
    ) == amounts


def test_derived_charging_values_keep_their_verify_note(rulebook):
    mig = rulebook.by_id("GB-CARE-2025-26").means_test.minimum_income_guarantee
    derived = [a for a in mig.personal_amounts if a.weekly_pence in (23260, 8835, 17755)]
    assert derived and all("DERIVED" in (a.verify or "") for a in derived)
    assert "DERIVED" in (mig.per_dependent_child.verify or "")
    assert all("DERIVED" in (p.verify or "") for p in mig.premiums)
