"""Functional assessment: descriptor points per activity, summed and banded per component."""

from dataclasses import dataclass

from assessment.domain.descriptor_choice import DescriptorChoice, choice_lines, choose
from assessment.domain.explanation import ExplanationLine, citations, plural
from assessment.domain.facts import ActivityDays, Descriptors
from assessment.domain.rules import Activity, Component, RuleSet


@dataclass(frozen=True)
class ActivityScore:
    activity: str
    descriptor: str
    points: int
    choice: DescriptorChoice | None = None
    """How the descriptor was chosen from those given with their days (SI 2013/377 reg 7);
    None when one descriptor was given."""


@dataclass(frozen=True)
class ComponentResult:
    component: str
    points: int
    band: str
    activities: tuple[ActivityScore, ...]


def score_components(
    descriptors: Descriptors, rules: RuleSet
) -> tuple[dict[str, ComponentResult], list[ExplanationLine]]:
    results, lines = {}, []
    for component in rules.components:
        result, component_lines = _score_component(component, descriptors, rules)
        results[component.code] = result
        lines += component_lines
    return results, lines


def _score_component(
    component: Component, descriptors: Descriptors, rules: RuleSet
) -> tuple[ComponentResult, list[ExplanationLine]]:
    activities = rules.activities_of(component.code)
    scores, lines = [], []
    for activity in activities:
        score, activity_lines = _score_activity(activity, descriptors[activity.number], rules)
        scores.append(score)
        lines += activity_lines
    points = sum(s.points for s in scores)
    thresholds = rules.thresholds[component.code]
    band = thresholds.band_for(points)
    activities_count = plural(len(scores), "activity", "activities")
    text = (
        f"{component.title}: your {activities_count} add up to {plural(points, 'point')}. "
        f"{thresholds.standard} to {thresholds.enhanced - 1} points gives the standard rate and "
        f"{thresholds.enhanced} or more the enhanced rate, "
        f"{_band_outcome(band, thresholds.standard)}."
    )
    citation = citations(component.citation, thresholds.citation)
    lines.append(ExplanationLine(f"functional.{component.code}.band", citation, text))
    return ComponentResult(component.code, points, band, tuple(scores)), lines


def _score_activity(
    activity: Activity, given: "str | ActivityDays", rules: RuleSet
) -> tuple[ActivityScore, list[ExplanationLine]]:
    if isinstance(given, ActivityDays):
        descriptor, choice = choose(activity, given, rules)
        score = ActivityScore(activity.number, descriptor.code, descriptor.points, choice)
        return score, choice_lines(activity, descriptor, choice, rules)
    descriptor = activity.descriptor(given)
    if descriptor is None:  # validate_facts checks descriptors first
        raise ValueError(f"activity {activity.number} has no descriptor {given}")
    score = ActivityScore(activity.number, descriptor.code, descriptor.points)
    return score, [_activity_line(activity, score)]


def _activity_line(activity: Activity, score: ActivityScore) -> ExplanationLine:
    descriptor = activity.descriptor(score.descriptor)
    return ExplanationLine(
        rule=f"functional.activity.{activity.number}",
        citation=activity.citation,
        text=(
            f"{activity.name}: you scored {plural(score.points, 'point')} "
            f'(descriptor {score.descriptor}: "{descriptor.text}").'
        ),
    )


def _band_outcome(band: str, standard: int) -> str:
    if band == "none":
        return f"so you do not qualify for this part (you need at least {standard} points)"
    return f"so you qualify for the {band} rate"
