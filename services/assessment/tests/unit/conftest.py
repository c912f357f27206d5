from dataclasses import replace
from datetime import date

import pytest
from assessment.adapters.rulesets import load_rulebook
from assessment.domain import AssessmentFacts, CareActFacts, CarerFacts, MeansFacts, decide

A_DAY_IN_2025_26 = date(2025, 6, 2)


@pytest.fixture(scope="session")
def rulebook():
    return load_rulebook()


@pytest.fixture(scope="session")
def rules(rulebook):
    return rulebook.by_id("GB-CARE-2025-26")


def descriptors_with(*codes: str) -> dict[str, str]:
    """Every activity at its 0-point 'a' descriptor, except the activities `codes` are for."""
    chosen = {str(n): f"{n}a" for n in range(1, 13)}
    chosen.update({code[:-1]: code for code in codes})
    return chosen


@pytest.fixture
def make_facts():
    """An eligible adult (2 outcomes not achieved) with no means; override any part."""

    def build(*codes: str, outcomes=None, impairment=True, wellbeing=True, carer=None, **means):
        return AssessmentFacts(
            descriptors=descriptors_with(*codes),
            care_act=CareActFacts(
                impairment_or_illness=impairment,
                outcomes={"a": "a", "b": "a"} if outcomes is None else outcomes,
                significant_wellbeing_impact=wellbeing,
            ),
            means=MeansFacts(**{"capital_pence": 0, "weekly_income_pence": {}, "age": 40, **means}),
            carer=carer,
        )

    return build


@pytest.fixture
def carer_facts():
    def build(necessary=True, health=False, outcomes=None, wellbeing=True):
        return CarerFacts(necessary, health, outcomes or {}, wellbeing)

    return build


@pytest.fixture
def decide_2025(rules, make_facts):
    """decide() under the 2025/26 rules, with make_facts' arguments."""

    def run(*codes, on=A_DAY_IN_2025_26, **overrides):
        return decide(make_facts(*codes, **overrides), rules, on)

    return run


@pytest.fixture
def replace_means():
    def build(facts, **changes):
        return replace(facts, means=replace(facts.means, **changes))

    return build
