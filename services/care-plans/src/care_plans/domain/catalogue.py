"""The national provider catalogue: who is contracted to deliver what, where, at what rate.

One CatalogueEdition per published data file (`id`, `effective_from`, source note); a Catalogue
holds every edition and answers which is in force on a day, like the national criteria do.
"""

from dataclasses import dataclass
from datetime import date

from care_plans.domain.errors import (
    NoCatalogueInForce,
    UnknownArea,
    UnknownOutcome,
    UnknownProvider,
    UnknownService,
)

SCHEME, PERSON = "scheme", "person"


@dataclass(frozen=True)
class Area:
    code: str  # ONS local authority code, e.g. E08000025
    name: str
    note: str | None = None


@dataclass(frozen=True)
class Provider:
    id: str
    name: str


@dataclass(frozen=True)
class Service:
    code: str
    unit: str  # what one unit is: hour, day, night, week
    description: str
    outcomes: tuple[str, ...]  # Care Act outcome codes a-j the service helps with


@dataclass(frozen=True)
class Contract:
    """One provider contracted to deliver one service in one area, between two dates."""

    provider_id: str
    service_code: str
    area_code: str
    unit_rate_pence: int
    weekly_capacity_units: int
    starts_on: date
    ends_on: date  # last day of the contract, inclusive

    def in_force_on(self, day: date) -> bool:
        return self.starts_on <= day <= self.ends_on


@dataclass(frozen=True)
class OutcomeOption:
    service_code: str
    units_per_week: int


@dataclass(frozen=True)
class OutcomeDefault:
    """For one outcome, the services to try in order, each with a default weekly quantity."""

    outcome: str
    options: tuple[OutcomeOption, ...]


@dataclass(frozen=True)
class ReviewPolicy:
    first_review_after_weeks: int
    interval_months: int
    notice_days: int  # a review counts as due this many days before its date
    citation: str


@dataclass(frozen=True)
class CatalogueEdition:
    id: str
    effective_from: date
    source: str
    areas: tuple[Area, ...]
    providers: tuple[Provider, ...]
    services: tuple[Service, ...]
    contracts: tuple[Contract, ...]
    outcome_defaults: tuple[OutcomeDefault, ...]
    review_policy: ReviewPolicy

    def area(self, code: str, field: str = "area_code") -> Area:
        found = next((a for a in self.areas if a.code == code), None)
        if found is None:
            raise UnknownArea(field, f"{code!r} is not an area in {self.id}")
        return found

    def provider(self, provider_id: str, field: str = "provider_id") -> Provider:
        found = next((p for p in self.providers if p.id == provider_id), None)
        if found is None:
            raise UnknownProvider(field, f"{provider_id!r} is not a provider in {self.id}")
        return found

    def service(self, code: str, field: str = "service_code") -> Service:
        found = next((s for s in self.services if s.code == code), None)
        if found is None:
            raise UnknownService(field, f"{code!r} is not a service in {self.id}")
        return found

    def options_for(self, outcome: str, field: str = "outcome") -> tuple[OutcomeOption, ...]:
        found = next((d for d in self.outcome_defaults if d.outcome == outcome), None)
        if found is None:
            raise UnknownOutcome(field, f"{outcome!r} has no default services in {self.id}")
        return found.options

    def contracts_in_force(self, area_code: str, service_code: str, on: date) -> list[Contract]:
        """Contracts for the service in the area on the day, cheapest first (then provider id)."""
        return sorted(
            (
                c
                for c in self.contracts
                if c.area_code == area_code and c.service_code == service_code and c.in_force_on(on)
            ),
            key=lambda c: (c.unit_rate_pence, c.provider_id),
        )


@dataclass(frozen=True)
class Catalogue:
    editions: tuple[CatalogueEdition, ...]

    def in_force_on(self, day: date) -> CatalogueEdition:
        """The edition with the latest effective_from on or before `day`."""
        candidates = [e for e in self.editions if e.effective_from <= day]
        if not candidates:
            raise NoCatalogueInForce("on", f"no provider catalogue is in force on {day}")
        return max(candidates, key=lambda e: e.effective_from)

    def by_id(self, edition_id: str) -> CatalogueEdition:
        found = next((e for e in self.editions if e.id == edition_id), None)
        if found is None:
            raise NoCatalogueInForce("id", f"no provider catalogue has id {edition_id!r}")
        return found
