"""Builds a RuleSet from plain nested data (as parsed from a rule-set file) and checks it."""

import re
from typing import Any

from assessment.domain import rules as r
from assessment.domain.errors import InvalidRuleSet
from assessment.domain.reading import ReadContext, Reader
from assessment.domain.rules_checks import check_rule_set


def rule_set_from_mapping(data: Any) -> r.RuleSet:
    """Raises InvalidRuleSet listing every bad field (floats for money, missing keys, ...)."""
    context = ReadContext()
    top = Reader(data, "", context)
    functional = top.child("functional_assessment")
    functional.text("citation")
    care_act = top.child("care_act_eligibility")
    rule_set = r.RuleSet(
        id=top.text("id"),
        title=top.text("title"),
        effective_from=top.day("effective_from"),
        status=top.text("status"),
        components=tuple(_component(c) for c in functional.children("components")),
        activities=tuple(_activity(a) for a in functional.children("activities")),
        thresholds=_per_component(top.child("thresholds"), _thresholds),
        weekly_rates=_per_component(top.child("weekly_rates"), _weekly_rates),
        adult_eligibility=_adult_rules(care_act.child("adult")),
        carer_eligibility=_carer_rules(care_act.child("carer")),
        means_test=_means_test(top.child("means_test")),
        award=_award(top.child("award")),
    )
    context.report_unknown_keys()
    if not context.errors:
        check_rule_set(rule_set, context)
    if context.errors:
        raise InvalidRuleSet(context.errors)
    return rule_set


def _component(c: Reader) -> r.Component:
    return r.Component(code=c.text("code"), title=c.text("title"), citation=c.text("citation"))


def _activity(a: Reader) -> r.Activity:
    activity = r.Activity(
        number=a.text("number"),
        name=a.text("name"),
        component=a.text("component"),
        citation=a.text("citation"),
        descriptors=tuple(
            r.Descriptor(code=d.text("code"), points=d.integer("points"), text=d.text("text"))
            for d in a.children("descriptors")
        ),
    )
    for i, descriptor in enumerate(activity.descriptors):
        if not re.fullmatch(rf"{re.escape(activity.number)}[a-z]", descriptor.code):
            a.context.fail(
                f"{a.at('descriptors')}[{i}].code",
                f"{descriptor.code!r} must be the activity number then a letter",
            )
    return activity


def _per_component(section: Reader, build) -> dict[str, Any]:
    return {str(code): build(section.child(code)) for code in list(section.data)}


def _thresholds(t: Reader) -> r.Thresholds:
    return r.Thresholds(
        standard=t.integer("standard", 1),
        enhanced=t.integer("enhanced", 1),
        citation=t.text("citation"),
        verify=t.optional_text("verify"),
    )


def _weekly_rates(w: Reader) -> r.WeeklyRates:
    return r.WeeklyRates(
        standard_pence=w.pence("standard_pence"),
        enhanced_pence=w.pence("enhanced_pence"),
        citation=w.text("citation"),
        verify=w.optional_text("verify"),
    )


def _outcome_test(section: Reader) -> r.OutcomeTest:
    minimum = section.child("outcomes_not_achieved")
    return r.OutcomeTest(
        outcomes=tuple(
            r.Outcome(o.text("code"), o.text("text"), o.text("citation"))
            for o in section.children("outcomes")
        ),
        limbs=tuple(
            r.Limb(u.text("code"), u.text("text"), u.text("citation"))
            for u in section.children("unable_to_achieve")
        ),
        minimum_not_achieved=minimum.integer("minimum", 1),
        citation=minimum.text("citation"),
    )


def _citation_of(section: Reader, key: str) -> str:
    cited = section.child(key)
    cited.optional_text("verify")  # a note for reviewers of the data file; nothing decides on it
    return cited.text("citation")


def _adult_rules(adult: Reader) -> r.AdultEligibilityRules:
    return r.AdultEligibilityRules(
        citation=adult.text("citation"),
        impairment_citation=_citation_of(adult, "impairment_or_illness"),
        wellbeing_citation=_citation_of(adult, "significant_wellbeing_impact"),
        outcome_test=_outcome_test(adult),
    )


def _carer_rules(carer: Reader) -> r.CarerEligibilityRules:
    return r.CarerEligibilityRules(
        citation=carer.text("citation"),
        necessary_care_citation=_citation_of(carer, "necessary_care"),
        health_deteriorating_citation=_citation_of(carer, "health_deteriorating"),
        wellbeing_citation=_citation_of(carer, "significant_wellbeing_impact"),
        outcome_test=_outcome_test(carer),
    )


def _cited_pence(c: Reader) -> r.CitedPence:
    return r.CitedPence(c.pence("pence"), c.text("citation"), c.optional_text("verify"))


def _means_test(m: Reader) -> r.MeansTestRules:
    tariff = m.child("tariff_income")
    return r.MeansTestRules(
        capital_lower_limit=_cited_pence(m.child("capital_lower_limit")),
        capital_upper_limit=_cited_pence(m.child("capital_upper_limit")),
        tariff_income=r.TariffIncome(
            step_pence=tariff.pence("step_pence"),
            weekly_pence_per_step=tariff.pence("weekly_pence_per_step"),
            citation=tariff.text("citation"),
            verify=tariff.optional_text("verify"),
        ),
        minimum_income_guarantee=tuple(
            r.MigBand(
                b.integer("from_age"),
                b.text("label"),
                b.pence("weekly_pence"),
                b.text("citation"),
                b.optional_text("verify"),
            )
            for b in m.children("minimum_income_guarantee")
        ),
        income_types=tuple(
            r.IncomeType(
                t.text("code"),
                t.text("title"),
                t.flag("counted"),
                t.text("citation"),
                t.optional_text("verify"),
            )
            for t in m.children("income_types")
        ),
        deductions_citation=_citation_of(m, "deductions"),
        contribution_citation=_citation_of(m, "contribution"),
    )


def _award(a: Reader) -> r.AwardRules:
    return r.AwardRules(
        weeks_per_year=a.integer("weeks_per_year", 1),
        months_per_year=a.integer("months_per_year", 1),
        review_after_months=a.integer("review_after_months", 1),
        monthly_citation=a.text("monthly_citation"),
        review_citation=a.text("review_citation"),
        eligibility_citation=a.text("eligibility_citation"),
        verify=a.optional_text("verify"),
    )
