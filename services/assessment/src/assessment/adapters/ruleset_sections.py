"""A rule-set file, one pydantic model per section, each building its part of the domain's
RuleSet (`to_domain`). A new section is a new model, a field on RuleSetFile and a line in its
`to_domain`; checks between fields are validators on the model that holds both."""

import re
from typing import Self

from pydantic import ValidationInfo, field_validator, model_validator

from assessment.adapters.ruleset_fields import (
    Cited,
    Count,
    NonEmpty,
    Note,
    Pence,
    PositiveCount,
    Section,
    Text,
    UniqueCodes,
    refuse,
    repeated,
)
from assessment.domain import rules as r


class ComponentSection(Section):
    code: Text
    title: Text
    citation: Text

    def to_domain(self) -> r.Component:
        return r.Component(self.code, self.title, self.citation)


class DescriptorSection(Section):
    code: Text
    points: Count
    text: Text


class ActivitySection(Section):
    number: Text
    name: Text
    component: Text
    citation: Text
    descriptors: NonEmpty[DescriptorSection]

    @field_validator("descriptors")
    @classmethod
    def _codes_are_the_number_then_a_letter(
        cls, descriptors: list[DescriptorSection], info: ValidationInfo
    ) -> list[DescriptorSection]:
        number = info.data.get("number", "")
        wrong = [
            d.code for d in descriptors if not re.fullmatch(rf"{re.escape(number)}[a-z]", d.code)
        ]
        if wrong:
            raise refuse(
                "code", f"{', '.join(map(repr, wrong))} must be the activity number then a letter"
            )
        return descriptors

    def to_domain(self) -> r.Activity:
        descriptors = tuple(r.Descriptor(d.code, d.points, d.text) for d in self.descriptors)
        return r.Activity(self.number, self.name, self.component, self.citation, descriptors)


class CodedText(Section):
    """An outcome, a way of being unable to achieve one (a limb), or a reliability criterion."""

    code: Text
    text: Text
    citation: Text


class DescriptorChoiceSection(Section):
    """SI 2013/377 reg 7(1): a citation for each way a descriptor is chosen."""

    more_than_percent: PositiveCount
    one_over: Cited
    several_over: Cited
    together_over: Cited
    together_equal: Cited
    none_over: Cited

    def to_domain(self) -> r.DescriptorChoiceRules:
        return r.DescriptorChoiceRules(
            more_than_percent=self.more_than_percent,
            one_over_citation=self.one_over.citation,
            several_over_citation=self.several_over.citation,
            together_over_citation=self.together_over.citation,
            together_equal_citation=self.together_equal.citation,
            none_over_citation=self.none_over.citation,
            verify=self.none_over.verify,
        )


class ReliabilitySection(Section):
    citation: Text
    criteria: UniqueCodes[CodedText]

    def to_domain(self) -> r.ReliabilityRules:
        criteria = tuple(r.ReliabilityCriterion(c.code, c.text, c.citation) for c in self.criteria)
        return r.ReliabilityRules(criteria, self.citation)


class FunctionalAssessmentSection(Section):
    citation: Text
    descriptor_choice: DescriptorChoiceSection
    reliability: ReliabilitySection
    components: NonEmpty[ComponentSection]
    activities: NonEmpty[ActivitySection]

    @field_validator("components")
    @classmethod
    def _components_are_unique(cls, components: list[ComponentSection]) -> list[ComponentSection]:
        if problem := repeated([c.code for c in components]):
            raise refuse("repeated", problem)
        return components

    @field_validator("activities")
    @classmethod
    def _one_zero_point_descriptor_each(
        cls, activities: list[ActivitySection]
    ) -> list[ActivitySection]:
        wrong = [a.number for a in activities if [d.points for d in a.descriptors].count(0) != 1]
        if wrong:
            raise refuse("zero", f"activities {wrong} need exactly one 0-point descriptor")
        return activities

    @field_validator("activities")
    @classmethod
    def _activities_are_unique_and_known(
        cls, activities: list[ActivitySection], info: ValidationInfo
    ) -> list[ActivitySection]:
        codes = [d.code for a in activities for d in a.descriptors]
        if problem := repeated([a.number for a in activities]) or repeated(codes):
            raise refuse("repeated", problem)
        known = [c.code for c in info.data.get("components", [])]
        unknown = [
            f"activity {a.number}: unknown component {a.component!r}"
            for a in activities
            if known and a.component not in known
        ]
        if unknown:
            raise refuse("component", "; ".join(unknown))
        return activities


class ThresholdsSection(Section):
    standard: PositiveCount
    enhanced: PositiveCount
    citation: Text
    verify: Note = None

    @model_validator(mode="after")
    def _standard_below_enhanced(self) -> Self:
        if not self.standard < self.enhanced:
            raise refuse("order", "standard must be below enhanced")
        return self

    def to_domain(self) -> r.Thresholds:
        return r.Thresholds(self.standard, self.enhanced, self.citation, self.verify)


class WeeklyRatesSection(Section):
    standard_pence: Pence
    enhanced_pence: Pence
    citation: Text
    verify: Note = None

    @model_validator(mode="after")
    def _standard_not_above_enhanced(self) -> Self:
        if not self.standard_pence <= self.enhanced_pence:
            raise refuse("order", "standard rate must not exceed enhanced")
        return self

    def to_domain(self) -> r.WeeklyRates:
        return r.WeeklyRates(self.standard_pence, self.enhanced_pence, self.citation, self.verify)


class MinimumSection(Section):
    minimum: PositiveCount
    citation: Text


class OutcomeTestSection(Section):
    """The outcomes part of an eligibility test (the adult's or the carer's)."""

    outcomes: UniqueCodes[CodedText]
    unable_to_achieve: UniqueCodes[CodedText]
    outcomes_not_achieved: MinimumSection

    @field_validator("outcomes_not_achieved")
    @classmethod
    def _minimum_is_reachable(cls, minimum: MinimumSection, info: ValidationInfo) -> MinimumSection:
        if "outcomes" in info.data and minimum.minimum > len(info.data["outcomes"]):
            raise refuse("minimum", "minimum exceeds the number of outcomes")
        return minimum

    def outcome_test(self) -> r.OutcomeTest:
        return r.OutcomeTest(
            outcomes=tuple(r.Outcome(o.code, o.text, o.citation) for o in self.outcomes),
            limbs=tuple(r.Limb(u.code, u.text, u.citation) for u in self.unable_to_achieve),
            minimum_not_achieved=self.outcomes_not_achieved.minimum,
            citation=self.outcomes_not_achieved.citation,
        )


class AdultSection(OutcomeTestSection):
    citation: Text
    impairment_or_illness: Cited
    significant_wellbeing_impact: Cited

    def to_domain(self) -> r.AdultEligibilityRules:
        return r.AdultEligibilityRules(
            citation=self.citation,
            impairment_citation=self.impairment_or_illness.citation,
            wellbeing_citation=self.significant_wellbeing_impact.citation,
            outcome_test=self.outcome_test(),
        )


class CarerSection(OutcomeTestSection):
    citation: Text
    necessary_care: Cited
    health_deteriorating: Cited
    significant_wellbeing_impact: Cited

    def to_domain(self) -> r.CarerEligibilityRules:
        return r.CarerEligibilityRules(
            citation=self.citation,
            necessary_care_citation=self.necessary_care.citation,
            health_deteriorating_citation=self.health_deteriorating.citation,
            wellbeing_citation=self.significant_wellbeing_impact.citation,
            outcome_test=self.outcome_test(),
        )


class CareActSection(Section):
    adult: AdultSection
    carer: CarerSection
