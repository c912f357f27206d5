from datetime import date

from care_plans.domain import AreaProvision, provision_by_area

from .conftest import BIRMINGHAM, MANCHESTER, ON, OXFORD


def row(rows, area, service) -> AreaProvision:
    return next(r for r in rows if (r.area, r.service) == (area, service))


def test_capacity_is_the_contracted_weekly_units_in_force(edition):
    rows = provision_by_area(edition, [], ON)
    assert row(rows, BIRMINGHAM, "HOME_CARE_HOUR") == AreaProvision(
        BIRMINGHAM, "HOME_CARE_HOUR", 3000, 0, 0
    )
    assert row(rows, OXFORD, "HOME_CARE_HOUR").capacity_units == 1200 + 800
    assert all((r.area, r.service) != (MANCHESTER, "DAY_SERVICE_DAY") for r in rows)
    later = provision_by_area(edition, [], date(2026, 2, 1))
    assert row(later, OXFORD, "HOME_CARE_HOUR").capacity_units == 1200  # PRV-0005 ended
    assert row(later, MANCHESTER, "DAY_SERVICE_DAY").capacity_units == 200


def test_planned_units_come_from_agreed_plans_only(edition, agreed, draft):
    plans = [agreed(outcomes_not_achieved=["b", "c"]) for _ in range(3)] + [draft()]
    home_care = row(provision_by_area(edition, plans, ON), BIRMINGHAM, "HOME_CARE_HOUR")
    assert home_care.planned_units == 3 * (7 + 4)
    assert (home_care.gap, home_care.spare_units) == (0, 3000 - 33)


def test_demand_beyond_capacity_is_a_gap(edition, agreed):
    plans = [agreed(outcomes_not_achieved=["g", "i"]) for _ in range(120)]
    access = row(provision_by_area(edition, plans, ON), BIRMINGHAM, "DAY_SERVICE_DAY")
    assert (access.capacity_units, access.planned_units) == (300, 120)
    support = row(provision_by_area(edition, plans, ON), BIRMINGHAM, "SUPPORTED_ACCESS_HOUR")
    assert (support.planned_units, support.capacity_units) == (120 * 3, 900)
    crowded = [agreed(outcomes_not_achieved=["h"]) for _ in range(240)]
    short = row(provision_by_area(edition, crowded, ON), BIRMINGHAM, "SUPPORTED_ACCESS_HOUR")
    assert (short.planned_units, short.gap, short.spare_units) == (960, 60, 0)


def test_services_a_person_arranges_themselves_are_not_counted(edition, agreed):
    plan = agreed(direct_payment_services=frozenset({"MEALS_DAY"}))
    meals = row(provision_by_area(edition, [plan], ON), BIRMINGHAM, "MEALS_DAY")
    assert meals.planned_units == 0


def test_planned_units_with_no_contract_in_force_are_all_gap(edition, agreed):
    plan = agreed(area_code=OXFORD, outcomes_not_achieved=["b"])  # PRV-0005, ends 31 Jan 2026
    rows = provision_by_area(edition, [plan], date(2026, 2, 1))
    home_care = row(rows, OXFORD, "HOME_CARE_HOUR")
    assert (home_care.capacity_units, home_care.planned_units, home_care.gap) == (1200, 7, 0)


def test_the_catalogue_edition_in_force_is_used_when_given_the_catalogue(catalogue):
    rows = provision_by_area(catalogue, [], date(2026, 4, 6))
    assert row(rows, OXFORD, "HOME_CARE_HOUR").capacity_units == 1200
