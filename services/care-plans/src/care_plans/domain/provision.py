"""Contracted capacity against what agreed plans buy, per area and service.

Capacity is the weekly units of every contract in force on the day. Planned units are the
scheme-arranged items of each plan's agreed version in force; items a person arranges with a
direct payment are not bought under the national contracts, so they are not counted.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from care_plans.domain.catalogue import SCHEME, Catalogue, CatalogueEdition
from care_plans.domain.plan import Plan


@dataclass(frozen=True)
class AreaProvision:
    area: str  # ONS local authority code
    service: str
    capacity_units: int
    planned_units: int
    gap: int  # planned units beyond capacity; 0 when capacity suffices

    @property
    def spare_units(self) -> int:
        return max(0, self.capacity_units - self.planned_units)


def provision_by_area(
    catalogue: Catalogue | CatalogueEdition, agreed_plans: Iterable[Plan], on: date
) -> list[AreaProvision]:
    """One row per (area, service) with capacity or planned units, sorted by area then service."""
    if isinstance(catalogue, Catalogue):
        catalogue = catalogue.in_force_on(on)
    capacity: dict[tuple[str, str], int] = {}
    for contract in catalogue.contracts:
        if contract.in_force_on(on):
            key = (contract.area_code, contract.service_code)
            capacity[key] = capacity.get(key, 0) + contract.weekly_capacity_units
    planned: dict[tuple[str, str], int] = {}
    for plan in agreed_plans:
        live = plan.in_force
        if live is None:
            continue
        for item in live.items:
            if item.arranged_by == SCHEME:
                key = (live.area_code, item.service_code)
                planned[key] = planned.get(key, 0) + item.units_per_week
    rows = []
    for area, service in sorted(capacity.keys() | planned.keys()):
        have, want = capacity.get((area, service), 0), planned.get((area, service), 0)
        rows.append(AreaProvision(area, service, have, want, max(0, want - have)))
    return rows
