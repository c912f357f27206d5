from datetime import date

from care_plans.domain import PlanStatus
from care_plans.domain.events import PlanDrafted

from .conftest import BIRMINGHAM, MANCHESTER, ON, OXFORD, PERSON, WESTMINSTER


def by_service(plan):
    return {item.service_code: item for item in plan.current.items}


def test_a_decision_in_birmingham_drafts_contracted_services_for_each_unmet_outcome(draft):
    plan = draft(outcomes_not_achieved=["c", "a", "b"], area_code=BIRMINGHAM)
    version = plan.current
    assert (version.number, version.status) == (1, PlanStatus.DRAFT)
    assert (version.decision_id, version.decision_version) == ("d-1", 1)
    assert version.outcomes == ("a", "b", "c")
    assert version.catalogue_id == "CB-PROVIDERS-2025-26"
    items = by_service(plan)
    assert set(items) == {"MEALS_DAY", "HOME_CARE_HOUR"}
    assert items["MEALS_DAY"].outcomes == ("a",)
    assert items["HOME_CARE_HOUR"].outcomes == ("b", "c")
    assert items["HOME_CARE_HOUR"].units_per_week == 7 + 4  # defaults from the catalogue data
    assert all(item.arranged_by == "scheme" for item in version.items)


def test_costs_use_the_areas_contracted_rates(draft):
    birmingham = draft(outcomes_not_achieved=["a", "b", "c"], area_code=BIRMINGHAM).current
    westminster = draft(outcomes_not_achieved=["a", "b", "c"], area_code=WESTMINSTER).current
    assert by_rate(birmingham) == {"MEALS_DAY": 780, "HOME_CARE_HOUR": 2560}
    assert birmingham.weekly_cost_pence == 7 * 780 + 11 * 2560 == 33_620
    assert by_rate(westminster) == {"MEALS_DAY": 920, "HOME_CARE_HOUR": 3120}
    assert westminster.weekly_cost_pence == 7 * 920 + 11 * 3120 == 40_760


def by_rate(version):
    return {i.service_code: i.unit_rate_pence for i in version.items}


def test_the_cheapest_contracted_provider_is_chosen_unless_the_person_prefers_another(draft):
    cheapest = by_service(draft(outcomes_not_achieved=["b"], area_code=WESTMINSTER))
    assert cheapest["HOME_CARE_HOUR"].provider_id == "PRV-0001"
    preferred = by_service(
        draft(
            outcomes_not_achieved=["b"],
            area_code=WESTMINSTER,
            preferred_providers={"HOME_CARE_HOUR": "PRV-0005"},
        )
    )["HOME_CARE_HOUR"]
    assert (preferred.provider_id, preferred.unit_rate_pence) == ("PRV-0005", 3240)


def test_services_the_person_arranges_are_a_direct_payment_at_the_contracted_rate(draft):
    items = by_service(draft(direct_payment_services=frozenset({"MEALS_DAY"})))
    assert items["MEALS_DAY"].arranged_by == "person"
    assert items["MEALS_DAY"].provider_id is None
    assert items["MEALS_DAY"].weekly_cost_pence == 7 * 780
    assert items["HOME_CARE_HOUR"].arranged_by == "scheme"


def test_an_unavailable_first_choice_falls_back_to_the_next_service_for_the_outcome(draft):
    westminster = by_service(draft(outcomes_not_achieved=["g"], area_code=WESTMINSTER))
    assert set(westminster) == {"SUPPORTED_ACCESS_HOUR"}  # no day service contracted there
    assert westminster["SUPPORTED_ACCESS_HOUR"].units_per_week == 3


def test_contract_dates_are_respected(draft):
    before = by_service(
        draft(on=date(2025, 9, 30), outcomes_not_achieved=["g"], area_code=MANCHESTER)
    )
    after = by_service(
        draft(on=date(2025, 10, 1), outcomes_not_achieved=["g"], area_code=MANCHESTER)
    )
    assert set(before) == {"SUPPORTED_ACCESS_HOUR"}
    assert after["DAY_SERVICE_DAY"].unit_rate_pence == 5950
    ended = by_service(draft(on=date(2026, 2, 1), outcomes_not_achieved=["b"], area_code=OXFORD))
    running = by_service(draft(on=date(2026, 1, 31), outcomes_not_achieved=["b"], area_code=OXFORD))
    assert running["HOME_CARE_HOUR"].provider_id == "PRV-0005"
    assert ended["HOME_CARE_HOUR"].provider_id == "PRV-0002"


def test_the_edition_in_force_on_the_day_prices_the_plan(draft):
    later = by_service(draft(on=date(2026, 4, 6), outcomes_not_achieved=["b"]))
    assert later["HOME_CARE_HOUR"].unit_rate_pence == 2665


def test_drafting_records_a_plan_drafted_event(draft):
    plan = draft(plan_id="plan-9")
    [event] = plan.events
    assert isinstance(event, PlanDrafted)
    assert (event.plan_id, event.version, event.person_id) == ("plan-9", 1, PERSON)
    assert event.weekly_cost_pence == plan.current.weekly_cost_pence
    assert event.items == plan.current.items


def test_the_default_plan_id_is_stable_for_a_person_and_decision(draft):
    assert draft().plan_id == draft(on=ON).plan_id == f"{PERSON}:d-1"
