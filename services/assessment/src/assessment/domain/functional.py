"""Functional assessment: descriptor points per activity, summed and banded per component."""

from dataclasses import dataclass

from assessment.domain.explanation import ExplanationLine, citations, plural
from assessment.domain.rules import Activity, Component, RuleSet


@dataclass(frozen=True)
class ActivityScore:
    activity: str
    descriptor: str
    points: int


@dataclass(frozen=True)
class ComponentResult:
    component: str
    points: int
    band: str
    activities: tuple[ActivityScore, ...]


def score_components(
    descriptors: dict[str, str], rules: RuleSet
) -> tuple[dict[str, ComponentResult], list[ExplanationLine]]:
    results, lines = {}, []
    for component in rules.components:
        result, component_lines = _score_component(component, descriptors, rules)
        results[component.code] = result
        lines += component_lines
    return results, lines


def _score_component(
    component: Component, descriptors: dict[str, str], rules: RuleSet
) -> tuple[ComponentResult, list[ExplanationLine]]:
    activities = rules.activities_of(component.code)
    scores = tuple(_score_activity(a, descriptors[a.number]) for a in activities)
    points = sum(s.points for s in scores)
    thresholds = rules.thresholds[component.code]
    band = thresholds.band_for(points)
    lines = [_activity_line(a, s) for a, s in zip(activities, scores, strict=True)]
    activities_count = plural(len(scores), "activity", "activities")
    text = (
        f"{component.title}: your {activities_count} add up to {plural(points, 'point')}. "
        f"{thresholds.standard} to {thresholds.enhanced - 1} points gives the standard rate and "
        f"{thresholds.enhanced} or more the enhanced rate, "
        f"{_band_outcome(band, thresholds.standard)}."
    )
    citation = citations(component.citation, thresholds.citation)
    lines.append(ExplanationLine(f"functional.{component.code}.band", citation, text))
    return ComponentResult(component.code, points, band, scores), lines


def _score_activity(activity: Activity, code: str) -> ActivityScore:
    descriptor = activity.descriptor(code)
    if descriptor is None:  # validate_facts checks descriptors first
        raise ValueError(f"activity {activity.number} has no descriptor {code}")
    return ActivityScore(activity.number, descriptor.code, descriptor.points)


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
