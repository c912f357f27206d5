"""The yearly uprating of one award, in the domain: Case.uprate and domain/uprating.py."""

import copy
from datetime import date

import pytest
from assessment.domain import Case, InvalidAssessment, NotAllowedNow, Person, RequestRefused
from assessment.domain import events as ev
from assessment.domain.case_input import decide_case
from assessment.domain.uprating import UNCHANGED, UPRATED, outcome, uprated

from .scenarios import ELIGIBLE_FACTS, RULEBOOK, facts

DECIDED = date(2025, 6, 2)  # under GB-CARE-2025-26
UPRATING_DAY = date(2026, 4, 6)
RULES_2026 = RULEBOOK.in_force_on(UPRATING_DAY)


def decided(with_facts=ELIGIBLE_FACTS, on: date = DECIDED) -> Case:
    case = Case.open(Person("P1", "JT123456C", "Ada Lovelace", date(1955, 12, 10), "E09000033"))
    recorded = case.record_assessment("as-1", with_facts, "", RULEBOOK, on)
    case.submit_assessment(recorded.assessment_id, "as-1", RULEBOOK, on)
    case.events.clear()
    return case


def test_an_award_is_re_decided_under_the_new_rules_from_their_date() -> None:
    case = decided()
    before = case.in_force
    changed, new = case.uprate(RULES_2026, UPRATING_DAY)
    assert changed == UPRATED
    assert (new.kind, new.version, new.supersedes) == ("uprating", 2, before.decision_id)
    assert (new.rule_set_id, new.effective_date, new.decided_on) == (
        "GB-CARE-2026-27",
        UPRATING_DAY,
        UPRATING_DAY,
    )
    assert new.assessment_id == before.assessment_id, "nobody is reassessed"
    assert new.review_date == before.review_date, "the review date stays"
    assert new.body["award"]["net_weekly_pence"] > before.body["award"]["net_weekly_pence"]
    assert case.in_force is new
    assert [type(e) for e in case.events] == [ev.DecisionSuperseded, ev.DecisionMade]


def test_the_explanation_says_it_is_the_uprating_and_what_changed() -> None:
    case = decided()
    was = case.in_force.body["award"]["net_weekly_pence"]
    _, new = case.uprate(RULES_2026, UPRATING_DAY)
    lines = {line["rule"]: line["text"] for line in new.body["explanation"]}
    now = new.body["award"]["net_weekly_pence"]
    assert "yearly uprating" in lines["decision.uprating"]
    assert (
        f"£{was / 100:.2f} a week; it is now £{now / 100:.2f} a week"
        in (lines["decision.uprating"])
    )
    assert "6 April 2026" in lines["decision.uprating"]
    assert lines["decision.review"] == "We will review your award by 2 June 2026."
    assert new.body["explanation"][0]["rule"] == "decision.rule_set"


def test_figures_that_come_out_the_same_are_still_a_new_version_saying_so() -> None:
    case = decided()
    current = case.in_force
    same = decide_case(ELIGIBLE_FACTS, RULEBOOK.in_force_on(DECIDED), DECIDED)
    assert outcome(current, same) == UNCHANGED
    explained = uprated(current, same, RULES_2026)
    text = next(x.text for x in explained.explanation if x.rule == "decision.uprating")
    assert f"stays at £{same.award.net_weekly_pence / 100:.2f} a week" in text


def test_an_award_already_under_the_new_rules_is_not_uprated() -> None:
    case = decided(on=date(2026, 5, 1))
    with pytest.raises(NotAllowedNow, match="already under GB-CARE-2026-27"):
        case.uprate(RULES_2026, date(2026, 5, 2))
    assert len(case.decisions) == 1 and not case.events


def test_a_decision_that_is_not_an_award_is_not_uprated() -> None:
    case = decided(facts(**{str(n): f"{n}a" for n in range(1, 13)}))
    assert not case.in_force.eligible
    with pytest.raises(NotAllowedNow, match="not an award"):
        case.uprate(RULES_2026, UPRATING_DAY)


def test_an_award_under_reconsideration_waits_for_the_reviewer() -> None:
    case = decided()
    case.request_reconsideration(case.in_force.decision_id, DECIDED, "wrong", "the person", DECIDED)
    with pytest.raises(NotAllowedNow):
        case.uprate(RULES_2026, UPRATING_DAY)


def test_facts_that_no_longer_fit_the_rules_are_refused_and_nothing_changes() -> None:
    at_66 = copy.deepcopy(ELIGIBLE_FACTS)
    at_66["means"]["age"] = 66  # pension credit age in 2026 depends on the date of birth
    case = decided(at_66)
    before = copy.deepcopy(case.decisions)
    with pytest.raises(InvalidAssessment) as refused:
        case.uprate(RULES_2026, UPRATING_DAY)
    assert refused.value.errors[0].field == "facts.means.age"
    assert case.decisions == before and not case.events


def test_an_uprating_can_be_reconsidered_under_the_rules_it_applied() -> None:
    case = decided()
    _, new = case.uprate(RULES_2026, UPRATING_DAY)
    asked = case.request_reconsideration(
        new.decision_id, UPRATING_DAY, "the rate", "the person", UPRATING_DAY
    )
    decided_again, _ = case.decide_reconsideration(
        asked.reconsideration_id, "as-2", None, "", RULEBOOK, UPRATING_DAY
    )
    assert decided_again.outcome == "unchanged"
    assert case.in_force.rule_set_id == "GB-CARE-2026-27"


def test_a_change_dated_before_the_uprating_is_uprated_again_so_the_new_rates_still_apply() -> None:
    case = decided()
    _, uprated_version = case.uprate(RULES_2026, UPRATING_DAY)
    case.events.clear()
    worse = facts(**{"1": "1f", "4": "4f"})  # more help needed, from March
    change = case.change_circumstances(
        "as-2", worse, date(2026, 3, 1), "", RULEBOOK, date(2026, 4, 20)
    )
    assert (change.kind, change.rule_set_id, change.effective_date) == (
        "change_of_circumstances",
        "GB-CARE-2025-26",
        date(2026, 3, 1),
    )
    assert change.supersedes == uprated_version.decision_id
    again = case.in_force
    assert (again.kind, again.rule_set_id, again.effective_date, again.supersedes) == (
        "uprating",
        "GB-CARE-2026-27",
        UPRATING_DAY,
        change.decision_id,
    )
    assert again.assessment_id == change.assessment_id, "uprated on the new facts"
    on_new_facts = decide_case(worse, RULES_2026, UPRATING_DAY)
    assert again.body["award"] == on_new_facts.to_dict()["award"]
    assert again.body["award"]["net_weekly_pence"] > change.body["award"]["net_weekly_pence"]
    assert [type(e) for e in case.events] == [
        ev.AssessmentSubmitted,
        ev.DecisionSuperseded,
        ev.DecisionMade,
        ev.DecisionSuperseded,
        ev.DecisionMade,
    ]


def test_a_change_dated_after_the_uprating_is_not_uprated_again() -> None:
    case = decided()
    case.uprate(RULES_2026, UPRATING_DAY)
    change = case.change_circumstances(
        "as-2", facts(**{"1": "1f"}), date(2026, 5, 1), "", RULEBOOK, date(2026, 5, 2)
    )
    assert case.in_force is change and change.rule_set_id == "GB-CARE-2026-27"


def test_a_change_before_the_uprating_that_ends_the_award_is_not_uprated() -> None:
    case = decided()
    case.uprate(RULES_2026, UPRATING_DAY)
    none = facts(**{str(n): f"{n}a" for n in range(1, 13)})
    change = case.change_circumstances(
        "as-2", none, date(2026, 3, 1), "", RULEBOOK, date(2026, 4, 20)
    )
    assert case.in_force is change and not change.eligible


def test_a_change_dated_before_the_award_the_uprating_re_decided_is_refused() -> None:
    case = decided()
    case.uprate(RULES_2026, UPRATING_DAY)
    with pytest.raises(RequestRefused, match="before 2025-06-02"):
        case.change_circumstances(
            "as-2", ELIGIBLE_FACTS, date(2025, 6, 1), "", RULEBOOK, date(2026, 4, 20)
        )


def test_the_award_compared_is_the_award_of_the_whole_decisions_plain_data() -> None:
    worked_out = decide_case(ELIGIBLE_FACTS, RULES_2026, UPRATING_DAY)
    assert worked_out.award_dict() == worked_out.to_dict()["award"]
    assert worked_out.award_dict()["net_weekly_pence"] == worked_out.award.net_weekly_pence
