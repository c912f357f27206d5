"""The national benchmark's checks find a lost, doubled, extra or wrong effect (a benchmark that
cannot would print figures for a broken flow)."""

from datetime import date

import pytest
from devstack.flow_checks import LostOrDoubled, all_equal, none_of, once_each, refuse
from devstack.national_checks import rates_by_period

PEOPLE = ["P1", "P2", "P3"]
UPRATED_ON = date(2026, 12, 2)


def test_one_effect_each_passes():
    assert once_each("awards", PEOPLE, ["P3", "P1", "P2"]) == []


def test_a_lost_effect_is_found():
    assert once_each("awards", PEOPLE, ["P1", "P3"]) == ["awards: 1 missing (e.g. P2)"]


def test_a_doubled_effect_is_found():
    assert once_each("awards", PEOPLE, ["P1", "P2", "P2", "P3"]) == [
        "awards: 1 more than once (e.g. P2)"
    ]


def test_an_effect_for_someone_not_seeded_is_found():
    assert once_each("awards", PEOPLE, [*PEOPLE, "P9"]) == ["awards: 1 unexpected (e.g. P9)"]


def test_a_wrong_or_absent_value_is_found():
    expected = {"P1": 4, "P2": 4}
    assert all_equal("messages", expected, {"P1": 4, "P2": 4}) == []
    assert all_equal("messages", expected, {"P1": 4, "P2": 5}) == [
        "messages: 1 wrong (e.g. P2: expected 4, found 5)"
    ]
    assert all_equal("messages", expected, {"P1": 4}) == [
        "messages: 1 wrong (e.g. P2: expected 4, found None)"
    ]


def test_any_dead_letter_is_a_problem():
    assert none_of("dead letters", []) == []
    assert none_of("dead letters", [("payments", "x", "bad")]) == [
        "dead letters: 1 (e.g. [('payments', 'x', 'bad')])"
    ]


def test_refuse_fails_loudly_with_every_problem():
    refuse([])
    with pytest.raises(LostOrDoubled, match="LOST OR DOUBLED:\n  a\n  b"):
        refuse(["a", "b"])


OLD, NEW = {"P1": 47_840, "P2": 47_840}, {"P1": 50_000, "P2": 50_000}


def periods(p2_after: int = 50_000) -> list[tuple[str, date, int]]:
    return [
        ("P1", date(2026, 12, 1), 47_840),
        ("P1", date(2027, 1, 1), 50_000),
        ("P2", date(2026, 12, 1), 47_840),
        ("P2", date(2027, 1, 1), p2_after),
    ]


def test_periods_at_the_old_rate_before_the_uprating_and_the_new_from_it_pass():
    assert rates_by_period(periods(), OLD, NEW, UPRATED_ON) == []


def test_a_period_left_at_the_old_rate_after_the_uprating_is_found():
    [problem] = rates_by_period(periods(p2_after=47_840), OLD, NEW, UPRATED_ON)
    assert "1 wrong (e.g. ('P2', datetime.date(2027, 1, 1)): expected 50000" in problem


def test_someone_with_no_period_at_the_new_rate_is_found():
    rows = [r for r in periods() if not (r[0] == "P2" and r[1] >= UPRATED_ON)]
    assert rates_by_period(rows, OLD, NEW, UPRATED_ON) == [
        "payments: people with a period at the new rates: 1 missing (e.g. P2)"
    ]
