"""Care Act eligibility: adults (SI 2015/313 reg 2) and carers (reg 3)."""

import pytest
from assessment.domain import InvalidAssessment


@pytest.mark.parametrize(
    ("outcomes", "eligible"),
    [
        ({}, False),
        ({"a": "a"}, False),
        ({"a": "a", "b": None}, False),
        ({"a": "a", "j": "d"}, True),
    ],
)
def test_adult_needs_two_outcomes_not_achieved(decide_2025, outcomes, eligible):
    care_act = decide_2025("7e", outcomes=outcomes).care_act
    assert care_act.eligible is eligible
    assert len(care_act.outcomes_not_achieved) == sum(v is not None for v in outcomes.values())


@pytest.mark.parametrize("limb", ["a", "b", "c", "d"])
def test_each_limb_counts_as_unable_to_achieve(decide_2025, rules, limb):
    decision = decide_2025(outcomes={"c": limb, "e": limb})
    assert decision.care_act.eligible
    assert [(o.outcome, o.limb) for o in decision.care_act.outcomes_not_achieved] == [
        ("c", limb),
        ("e", limb),
    ]
    line = next(x for x in decision.explanation if x.rule == "care_act.outcome.c")
    assert rules.adult_eligibility.outcome_test.limb(limb).text in line.text
    assert line.citation == f"SI 2015/313 reg 2(2)(c); SI 2015/313 reg 2(3)({limb})"


def test_outcomes_are_reported_in_the_regulations_order(decide_2025):
    missed = decide_2025(outcomes={"j": "a", "a": "b"}).care_act.outcomes_not_achieved
    assert [o.outcome for o in missed] == ["a", "j"]


def test_no_impairment_or_illness_means_not_eligible(decide_2025):
    decision = decide_2025("7e", impairment=False)
    assert not decision.care_act.eligible
    assert not decision.eligible
    assert decision.award.net_weekly_pence == 0
    assert decision.award.after_contribution_weekly_pence == 11040


def test_no_significant_wellbeing_impact_means_not_eligible(decide_2025):
    decision = decide_2025("7e", wellbeing=False)
    assert not decision.care_act.eligible
    assert "care needs do not meet" in decision.explanation[-1].text


def test_all_ten_outcomes_and_four_limbs_are_in_the_rules(rules):
    test = rules.adult_eligibility.outcome_test
    assert [o.code for o in test.outcomes] == list("abcdefghij")
    assert [limb.code for limb in test.limbs] == list("abcd")
    assert test.minimum_not_achieved == 2


@pytest.mark.parametrize(
    ("necessary", "health", "outcomes", "wellbeing", "eligible"),
    [
        (True, False, {"iv": "a"}, True, True),
        (True, True, {}, True, True),
        (True, False, {}, True, False),
        (False, True, {"i": "a"}, True, False),
        (True, True, {"viii": "c"}, False, False),
    ],
)
def test_carers_test(decide_2025, carer_facts, necessary, health, outcomes, wellbeing, eligible):
    carer = carer_facts(necessary, health, outcomes, wellbeing)
    assert decide_2025(carer=carer).carer.eligible is eligible


@pytest.mark.parametrize("limb", ["a", "b", "c"])
def test_each_carer_limb_counts(decide_2025, carer_facts, limb):
    assert decide_2025(carer=carer_facts(outcomes={"vi": limb})).carer.eligible


def test_carers_test_has_no_significantly_longer_limb(decide_2025, carer_facts):
    with pytest.raises(InvalidAssessment) as raised:
        decide_2025(carer=carer_facts(outcomes={"ii": "d"}))
    assert [e.field for e in raised.value.errors] == ["carer.outcomes.ii"]


def test_carer_result_does_not_change_the_award(decide_2025, carer_facts):
    without = decide_2025("7e")
    with_carer = decide_2025("7e", carer=carer_facts(necessary=False))
    assert without.carer is None
    assert with_carer.award == without.award and with_carer.eligible == without.eligible


def test_carer_outcomes_are_i_to_viii(rules):
    test = rules.carer_eligibility.outcome_test
    assert [o.code for o in test.outcomes] == "i ii iii iv v vi vii viii".split()
    assert test.minimum_not_achieved == 1
