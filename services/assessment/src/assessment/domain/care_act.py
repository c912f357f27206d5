"""Care Act 2014 eligibility: the adult's test (reg 2) and the carer's test (reg 3)."""

from dataclasses import dataclass

from assessment.domain.explanation import ExplanationLine, citations, plural
from assessment.domain.facts import CareActFacts, CarerFacts
from assessment.domain.rules import AdultEligibilityRules, CarerEligibilityRules, OutcomeTest


@dataclass(frozen=True)
class OutcomeNotAchieved:
    outcome: str
    limb: str


@dataclass(frozen=True)
class CareActResult:
    eligible: bool
    impairment_or_illness: bool
    outcomes_not_achieved: tuple[OutcomeNotAchieved, ...]
    significant_wellbeing_impact: bool


@dataclass(frozen=True)
class CarerResult:
    eligible: bool
    necessary_care: bool
    health_deteriorating: bool
    outcomes_not_achieved: tuple[OutcomeNotAchieved, ...]
    significant_wellbeing_impact: bool


def assess_adult(
    facts: CareActFacts, rules: AdultEligibilityRules
) -> tuple[CareActResult, list[ExplanationLine]]:
    test = rules.outcome_test
    missed = not_achieved(facts.outcomes, test)
    enough = len(missed) >= test.minimum_not_achieved
    eligible = facts.impairment_or_illness and enough and facts.significant_wellbeing_impact
    lines = [
        ExplanationLine(
            "care_act.impairment_or_illness",
            rules.impairment_citation,
            "Your needs arise from, or are related to, a physical or mental impairment or illness."
            if facts.impairment_or_illness
            else "Your needs do not arise from a physical or mental impairment or illness.",
        ),
        *outcome_lines("care_act", missed, test, "You are"),
        ExplanationLine(
            "care_act.outcomes_not_achieved",
            test.citation,
            f"You are unable to achieve {plural(len(missed), 'outcome')}. You need to "
            f"be unable to achieve at least {test.minimum_not_achieved}, so you "
            f"{'meet' if enough else 'do not meet'} this condition.",
        ),
        ExplanationLine(
            "care_act.significant_wellbeing_impact",
            rules.wellbeing_citation,
            "This has, or is likely to have, a significant impact on your wellbeing."
            if facts.significant_wellbeing_impact
            else "We did not find a significant impact on your wellbeing.",
        ),
        ExplanationLine(
            "care_act.eligible",
            rules.citation,
            "Your care needs meet the national eligibility criteria."
            if eligible
            else "Your care needs do not meet the national eligibility criteria: all three "
            "conditions above must be met.",
        ),
    ]
    return CareActResult(
        eligible, facts.impairment_or_illness, missed, facts.significant_wellbeing_impact
    ), lines


def assess_carer(
    facts: CarerFacts, rules: CarerEligibilityRules
) -> tuple[CarerResult, list[ExplanationLine]]:
    test = rules.outcome_test
    missed = not_achieved(facts.outcomes, test)
    affected = facts.health_deteriorating or len(missed) >= test.minimum_not_achieved
    eligible = facts.necessary_care and affected and facts.significant_wellbeing_impact
    lines = [
        ExplanationLine(
            "carer.necessary_care",
            rules.necessary_care_citation,
            "Your carer's needs arise from providing necessary care for you."
            if facts.necessary_care
            else "Your carer's needs do not arise from providing necessary care for you.",
        ),
        ExplanationLine(
            "carer.health_deteriorating",
            rules.health_deteriorating_citation,
            "Your carer's physical or mental health is, or is at risk of, getting worse."
            if facts.health_deteriorating
            else "Your carer's health is not at risk of getting worse.",
        ),
        *outcome_lines("carer", missed, test, "Your carer is"),
        ExplanationLine(
            "carer.significant_wellbeing_impact",
            rules.wellbeing_citation,
            "This has, or is likely to have, a significant impact on your carer's wellbeing."
            if facts.significant_wellbeing_impact
            else "We did not find a significant impact on your carer's wellbeing.",
        ),
        ExplanationLine(
            "carer.eligible",
            rules.citation,
            "Your carer's needs meet the national eligibility criteria for carers. "
            "This does not change your award."
            if eligible
            else "Your carer's needs do not meet the national eligibility criteria for "
            "carers. This does not change your award.",
        ),
    ]
    return CarerResult(
        eligible,
        facts.necessary_care,
        facts.health_deteriorating,
        missed,
        facts.significant_wellbeing_impact,
    ), lines


def not_achieved(
    outcomes: dict[str, str | None], test: OutcomeTest
) -> tuple[OutcomeNotAchieved, ...]:
    """In the rule set's order, so the result doesn't depend on the input's key order."""
    return tuple(
        OutcomeNotAchieved(o.code, outcomes[o.code])
        for o in test.outcomes
        if outcomes.get(o.code) is not None
    )


def outcome_lines(
    prefix: str, missed: tuple[OutcomeNotAchieved, ...], test: OutcomeTest, subject: str
) -> list[ExplanationLine]:
    lines = []
    for item in missed:
        outcome, limb = test.outcome(item.outcome), test.limb(item.limb)
        lines.append(
            ExplanationLine(
                f"{prefix}.outcome.{outcome.code}",
                citations(outcome.citation, limb.citation),
                f"{subject} unable to achieve {outcome.text}: {limb.text}.",
            )
        )
    return lines
