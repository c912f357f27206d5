"""Every descriptor's points, checked against an independent copy of SI 2013/377 Sch 1."""

import pytest

# Written out by hand from SI 2013/377 Sch 1 Parts 2-3 (note 2f = 10 and 12d = 10).
STATUTORY_POINTS = {
    "1": {"1a": 0, "1b": 2, "1c": 2, "1d": 2, "1e": 4, "1f": 8},
    "2": {"2a": 0, "2b": 2, "2c": 2, "2d": 4, "2e": 6, "2f": 10},
    "3": {"3a": 0, "3b": 1, "3c": 2, "3d": 4, "3e": 6, "3f": 8},
    "4": {"4a": 0, "4b": 2, "4c": 2, "4d": 2, "4e": 3, "4f": 4, "4g": 8},
    "5": {"5a": 0, "5b": 2, "5c": 2, "5d": 4, "5e": 6, "5f": 8},
    "6": {"6a": 0, "6b": 2, "6c": 2, "6d": 2, "6e": 4, "6f": 8},
    "7": {"7a": 0, "7b": 2, "7c": 4, "7d": 8, "7e": 12},
    "8": {"8a": 0, "8b": 2, "8c": 2, "8d": 4, "8e": 8},
    "9": {"9a": 0, "9b": 2, "9c": 4, "9d": 8},
    "10": {"10a": 0, "10b": 2, "10c": 4, "10d": 6},
    "11": {"11a": 0, "11b": 4, "11c": 8, "11d": 10, "11e": 10, "11f": 12},
    "12": {"12a": 0, "12b": 4, "12c": 8, "12d": 10, "12e": 12, "12f": 12},
}
MOBILITY = {"11", "12"}
EVERY_DESCRIPTOR = [
    (activity, code, points)
    for activity, table in STATUTORY_POINTS.items()
    for code, points in table.items()
]


def test_every_rule_set_has_exactly_the_statutory_descriptors_and_points(rulebook):
    for rule_set in rulebook.rule_sets:
        table = {a.number: {d.code: d.points for d in a.descriptors} for a in rule_set.activities}
        assert table == STATUTORY_POINTS, rule_set.id


def test_activities_are_split_between_the_components(rules):
    assert {a.number for a in rules.activities_of("mobility")} == MOBILITY
    assert len(rules.activities_of("daily_living")) == 10


def test_maximum_scores_are_84_daily_living_and_24_mobility(rules):
    def maximum(component):
        return sum(max(d.points for d in a.descriptors) for a in rules.activities_of(component))

    assert (maximum("daily_living"), maximum("mobility")) == (84, 24)


@pytest.mark.parametrize(("activity", "code", "points"), EVERY_DESCRIPTOR)
def test_each_descriptor_scores_its_points(decide_2025, activity, code, points):
    decision = decide_2025(code)

    component = "mobility" if activity in MOBILITY else "daily_living"
    other = "daily_living" if component == "mobility" else "mobility"
    assert decision.components[component].points == points
    assert decision.components[other].points == 0
    score = next(s for s in decision.components[component].activities if s.activity == activity)
    assert (score.descriptor, score.points) == (code, points)


@pytest.mark.parametrize(("activity", "code", "points"), EVERY_DESCRIPTOR)
def test_each_activity_is_explained_with_its_points_descriptor_and_citation(
    decide_2025, activity, code, points
):
    line = next(
        line
        for line in decide_2025(code).explanation
        if line.rule == f"functional.activity.{activity}"
    )
    assert f"you scored {points} point" in line.text
    assert f"descriptor {code}" in line.text
    part = "Part 3" if activity in MOBILITY else "Part 2"
    number = int(activity) - 10 if activity in MOBILITY else int(activity)
    assert line.citation == f"SI 2013/377 Sch 1 {part} activity {number}"


def test_worked_case_sums_points_across_activities(decide_2025):
    decision = decide_2025("1d", "2f", "3b", "11b", "12d")

    assert decision.components["daily_living"].points == 2 + 10 + 1
    assert decision.components["mobility"].points == 4 + 10
