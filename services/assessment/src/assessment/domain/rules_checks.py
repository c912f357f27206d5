"""Cross-field consistency checks on a freshly built RuleSet."""

from assessment.domain import rules as r
from assessment.domain.reading import ReadContext


def check_rule_set(rule_set: r.RuleSet, context: ReadContext) -> None:
    if rule_set.status not in (r.IN_FORCE, r.PROPOSED):
        context.fail("status", f"must be {r.IN_FORCE!r} or {r.PROPOSED!r}")
    _check_functional(rule_set, context)
    _check_outcome_test(
        rule_set.adult_eligibility.outcome_test, "care_act_eligibility.adult", context
    )
    _check_outcome_test(
        rule_set.carer_eligibility.outcome_test, "care_act_eligibility.carer", context
    )
    _check_means_test(rule_set.means_test, context)


def _duplicates(codes: list[str]) -> set[str]:
    return {code for code in codes if codes.count(code) > 1}


def _check_functional(rule_set: r.RuleSet, context: ReadContext) -> None:
    components = [c.code for c in rule_set.components]
    for field, codes in (
        ("functional_assessment.components", components),
        ("functional_assessment.activities", [a.number for a in rule_set.activities]),
        (
            "functional_assessment.activities",
            [d.code for a in rule_set.activities for d in a.descriptors],
        ),
    ):
        for code in sorted(_duplicates(codes)):
            context.fail(field, f"{code!r} appears more than once")
    for activity in rule_set.activities:
        if activity.component not in components:
            context.fail(
                f"functional_assessment.activities.{activity.number}",
                f"unknown component {activity.component!r}",
            )
    for section, table in (
        ("thresholds", rule_set.thresholds),
        ("weekly_rates", rule_set.weekly_rates),
    ):
        if set(table) != set(components):
            context.fail(section, f"must have exactly the components {components}")
    for code, thresholds in rule_set.thresholds.items():
        if not thresholds.standard < thresholds.enhanced:
            context.fail(f"thresholds.{code}", "standard must be below enhanced")
    for code, rates in rule_set.weekly_rates.items():
        if not rates.standard_pence <= rates.enhanced_pence:
            context.fail(f"weekly_rates.{code}", "standard rate must not exceed enhanced")


def _check_outcome_test(test: r.OutcomeTest, field: str, context: ReadContext) -> None:
    for code in sorted(_duplicates([o.code for o in test.outcomes])):
        context.fail(f"{field}.outcomes", f"{code!r} appears more than once")
    for code in sorted(_duplicates([limb.code for limb in test.limbs])):
        context.fail(f"{field}.unable_to_achieve", f"{code!r} appears more than once")
    if test.minimum_not_achieved > len(test.outcomes):
        context.fail(f"{field}.outcomes_not_achieved.minimum", "exceeds the number of outcomes")


def _check_means_test(means: r.MeansTestRules, context: ReadContext) -> None:
    if not means.capital_lower_limit.pence < means.capital_upper_limit.pence:
        context.fail("means_test.capital_upper_limit", "must be above the lower limit")
    if means.tariff_income.step_pence <= 0:
        context.fail("means_test.tariff_income.step_pence", "must be positive")
    ages = [band.from_age for band in means.minimum_income_guarantee]
    if ages != sorted(set(ages)):
        context.fail("means_test.minimum_income_guarantee", "from_age must strictly increase")
    for code in sorted(_duplicates([t.code for t in means.income_types])):
        context.fail("means_test.income_types", f"{code!r} appears more than once")
