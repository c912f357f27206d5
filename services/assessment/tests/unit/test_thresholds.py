"""Points to bands: 0-7 nothing, 8-11 standard, 12+ enhanced, for each component separately."""

import pytest
from assessment.domain.rules import BANDS
from hypothesis import given
from hypothesis import strategies as st

COMPONENTS = st.sampled_from(["daily_living", "mobility"])
# Descriptors giving exact daily living totals at each edge.
DAILY_LIVING = {7: ("1b", "2b", "3b", "4b"), 8: ("1f",), 11: ("1f", "3b", "4b"), 12: ("7e",)}
BAND_AT = {7: "none", 8: "standard", 11: "standard", 12: "enhanced"}


@pytest.mark.parametrize("total", [7, 8, 11, 12])
def test_daily_living_band_at_each_edge(decide_2025, total):
    component = decide_2025(*DAILY_LIVING[total]).components["daily_living"]
    assert (component.points, component.band) == (total, BAND_AT[total])


@pytest.mark.parametrize(
    ("codes", "total", "band"),
    [
        (("11b",), 4, "none"),
        (("11c",), 8, "standard"),
        (("11b", "12b"), 8, "standard"),
        (("11d",), 10, "standard"),
        (("12e",), 12, "enhanced"),
        (("11b", "12c"), 12, "enhanced"),
    ],
)
def test_mobility_totals_and_bands(decide_2025, codes, total, band):
    component = decide_2025(*codes).components["mobility"]
    assert (component.points, component.band) == (total, band)


@pytest.mark.parametrize("total", [7, 8, 11, 12])
def test_mobility_band_at_each_edge(rules, total):
    # No mobility descriptors sum to 7 or 11, so the edges are checked on the mapping itself.
    assert rules.thresholds["mobility"].band_for(total) == BAND_AT[total]


@pytest.mark.parametrize(
    ("codes", "weekly"),
    [
        ((), 0),
        (("1f",), 7390),
        (("7e",), 11040),
        (("12c",), 2920),
        (("12e",), 7705),
        (("7e", "12e"), 11040 + 7705),
    ],
)
def test_band_gives_the_2025_26_weekly_rate(decide_2025, codes, weekly):
    award = decide_2025(*codes).award
    assert award.gross_weekly_pence == weekly


@given(st.integers(0, 200), st.integers(0, 200), COMPONENTS)
def test_band_mapping_is_monotone(rules, low, high, component):
    low, high = sorted((low, high))
    band_for = rules.thresholds[component].band_for
    assert BANDS.index(band_for(low)) <= BANDS.index(band_for(high))


@given(st.integers(0, 200), COMPONENTS)
def test_band_mapping_matches_the_thresholds(rules, points, component):
    expected = "enhanced" if points >= 12 else "standard" if points >= 8 else "none"
    assert rules.thresholds[component].band_for(points) == expected


def test_thresholds_are_8_and_12_in_every_rule_set(rulebook):
    for rule_set in rulebook.rule_sets:
        for thresholds in rule_set.thresholds.values():
            assert (thresholds.standard, thresholds.enhanced) == (8, 12)
