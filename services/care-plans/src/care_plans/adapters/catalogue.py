"""The provider catalogue files (one YAML file per edition) read into the domain's Catalogue.

pydantic checks every field's type with its path, so one pass reports every problem: money must
be whole pence (an int, `3120.0` or `"31.20"` is refused naming the field), dates are dates.
Then the references are checked across the edition: every code listed once, every outcome with
a default service that serves it, contracts naming known providers, services and areas, and no
provider holding two overlapping contracts for one service in one area. A new edition is a new
file in the catalogue directory; no code changes.
"""

from collections import Counter
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Annotated, Any

import yaml
from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    Strict,
    ValidationError,
    model_validator,
)
from pydantic_core import PydanticCustomError

from care_plans.domain import catalogue as c
from care_plans.domain.errors import FieldError, InvalidCatalogue, InvalidMoney
from care_plans.domain.money import require_pence
from care_plans.domain.outcomes import OUTCOME_CODES

CATALOGUE_DIR = Path(__file__).parents[1] / "catalogue"


def _whole_pence(value: object) -> int:
    try:
        return require_pence(value, "pence")
    except InvalidMoney as exc:
        raise PydanticCustomError("pence", exc.message) from None


def _outcome(code: str) -> str:
    if code not in OUTCOME_CODES:
        raise PydanticCustomError("outcome", f"{code!r} is not one of a-j")
    return code


Text = Annotated[str, Field(min_length=1)]
Day = Annotated[date, Strict()]  # a YAML date; a time or a quoted string is refused
Count = Annotated[int, Strict()]
Pence = Annotated[int, BeforeValidator(_whole_pence), Field(ge=1)]
Outcome = Annotated[str, AfterValidator(_outcome)]


class _Entry(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class AreaEntry(_Entry):
    code: Text  # ONS local authority code
    name: Text
    note: str | None = None

    def to_domain(self) -> c.Area:
        return c.Area(self.code, self.name, self.note)


class ProviderEntry(_Entry):
    id: Text
    name: Text


class ServiceEntry(_Entry):
    code: Text
    unit: Text
    description: Text
    outcomes: list[Outcome]

    def to_domain(self) -> c.Service:
        return c.Service(self.code, self.unit, self.description, tuple(self.outcomes))


class AreaTerms(_Entry):
    area: Text
    unit_rate_pence: Pence
    weekly_capacity_units: Annotated[Count, Field(ge=0)]


class ContractEntry(_Entry):
    """One provider's contract for one service, with its rate and capacity in each area."""

    provider: Text
    service: Text
    starts_on: Day
    ends_on: Day  # the last day, inclusive
    areas: list[AreaTerms]

    @model_validator(mode="after")
    def _ends_after_it_starts(self) -> "ContractEntry":
        if self.ends_on < self.starts_on:
            raise PydanticCustomError("dates", "ends_on is before starts_on")
        return self

    def to_domain(self) -> Iterator[c.Contract]:
        for terms in self.areas:
            yield c.Contract(
                provider_id=self.provider,
                service_code=self.service,
                area_code=terms.area,
                unit_rate_pence=terms.unit_rate_pence,
                weekly_capacity_units=terms.weekly_capacity_units,
                starts_on=self.starts_on,
                ends_on=self.ends_on,
            )


class OptionEntry(_Entry):
    service: Text
    units_per_week: Annotated[Count, Field(ge=1)]


class OutcomeDefaultEntry(_Entry):
    outcome: Outcome
    options: Annotated[list[OptionEntry], Field(min_length=1)]

    def to_domain(self) -> c.OutcomeDefault:
        options = tuple(c.OutcomeOption(o.service, o.units_per_week) for o in self.options)
        return c.OutcomeDefault(self.outcome, options)


class ReviewPolicyEntry(_Entry):
    first_review_after_weeks: Annotated[Count, Field(ge=1)]
    interval_months: Annotated[Count, Field(ge=1)]
    notice_days: Annotated[Count, Field(ge=0)]
    citation: Text


class EditionFile(_Entry):
    id: Text
    effective_from: Day
    source: Text
    areas: list[AreaEntry]
    providers: list[ProviderEntry]
    services: list[ServiceEntry]
    contracts: list[ContractEntry]
    outcome_defaults: list[OutcomeDefaultEntry]
    review_policy: ReviewPolicyEntry

    def to_domain(self) -> c.CatalogueEdition:
        return c.CatalogueEdition(
            id=self.id,
            effective_from=self.effective_from,
            source=self.source,
            areas=tuple(a.to_domain() for a in self.areas),
            providers=tuple(c.Provider(p.id, p.name) for p in self.providers),
            services=tuple(s.to_domain() for s in self.services),
            contracts=tuple(k for entry in self.contracts for k in entry.to_domain()),
            outcome_defaults=tuple(d.to_domain() for d in self.outcome_defaults),
            review_policy=c.ReviewPolicy(**self.review_policy.model_dump()),
        )


def load_catalogue(path: Path | str | None = None) -> c.Catalogue:
    """Every *.yaml edition in `path` (default: the packaged catalogue directory)."""
    directory = Path(path) if path is not None else CATALOGUE_DIR
    files = sorted(directory.glob("*.yaml"))
    if not files:
        raise InvalidCatalogue([FieldError(str(directory), "contains no *.yaml editions")])
    editions = tuple(load_edition(file) for file in files)
    errors = []
    for attribute in ("id", "effective_from"):
        values = [getattr(e, attribute) for e in editions]
        for file, value in zip(files, values, strict=True):
            if values.count(value) > 1:
                errors.append(FieldError(f"{file.name}:{attribute}", f"{value} is not unique"))
    if errors:
        raise InvalidCatalogue(errors)
    return c.Catalogue(editions)


def load_edition(file: Path) -> c.CatalogueEdition:
    try:
        return edition_from_mapping(yaml.safe_load(file.read_text(encoding="utf-8")))
    except yaml.YAMLError as error:
        raise InvalidCatalogue([FieldError(file.name, f"is not valid YAML: {error}")]) from None
    except InvalidCatalogue as invalid:
        raise InvalidCatalogue(
            [FieldError(f"{file.name}:{e.field}", e.message) for e in invalid.errors]
        ) from None


def edition_from_mapping(data: Any) -> c.CatalogueEdition:
    """Raises InvalidCatalogue listing every bad field, then (if none) every broken reference."""
    try:
        edition = EditionFile.model_validate(data).to_domain()
    except ValidationError as invalid:
        raise InvalidCatalogue([_field_error(e) for e in invalid.errors()]) from None
    errors = list(_broken_references(edition))
    if errors:
        raise InvalidCatalogue(errors)
    return edition


def _field_error(error: Any) -> FieldError:
    path = "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in error["loc"])
    message = error["msg"]
    if error["type"] == "missing":
        message = "is missing"
    elif "input" in error and error["type"].endswith(("_type", "_parsing")):
        value = error["input"]
        message = f"{message}; got {value!r} ({type(value).__name__})"
    return FieldError(path.lstrip(".") or "catalogue", message)


def _broken_references(edition: c.CatalogueEdition) -> Iterator[FieldError]:
    yield from _listed_twice("areas", [a.code for a in edition.areas])
    yield from _listed_twice("providers", [p.id for p in edition.providers])
    yield from _listed_twice("services", [s.code for s in edition.services])
    yield from _listed_twice("outcome_defaults", [d.outcome for d in edition.outcome_defaults])
    yield from _defaults(edition)
    for contract in edition.contracts:
        yield from _contract_references(edition, contract)
    yield from _overlaps(edition.contracts)


def _listed_twice(where: str, keys: list[str]) -> Iterator[FieldError]:
    for key, count in Counter(keys).items():
        if count > 1:
            yield FieldError(f"{where}[{key}]", f"is listed {count} times")


def _defaults(edition: c.CatalogueEdition) -> Iterator[FieldError]:
    """Every outcome has a default, and each default service exists and serves that outcome."""
    services = {s.code: s for s in edition.services}
    for outcome in sorted(OUTCOME_CODES - {d.outcome for d in edition.outcome_defaults}):
        yield FieldError("outcome_defaults", f"outcome {outcome!r} has no default")
    for default in edition.outcome_defaults:
        where = f"outcome_defaults[{default.outcome}].options"
        for option in default.options:
            service = services.get(option.service_code)
            if service is None:
                yield FieldError(where, f"unknown {option.service_code!r}")
            elif default.outcome not in service.outcomes:
                message = f"{option.service_code} does not list outcome {default.outcome!r}"
                yield FieldError(where, message)


def _contract_references(edition: c.CatalogueEdition, k: c.Contract) -> Iterator[FieldError]:
    where = f"contracts[{k.provider_id}/{k.service_code}/{k.area_code}]"
    known = (
        ("provider", k.provider_id, {p.id for p in edition.providers}),
        ("service", k.service_code, {s.code for s in edition.services}),
        ("area", k.area_code, {a.code for a in edition.areas}),
    )
    for what, value, valid in known:
        if value not in valid:
            yield FieldError(f"{where}.{what}", f"unknown {what} {value!r}")


def _overlaps(contracts: tuple[c.Contract, ...]) -> Iterator[FieldError]:
    by_key: dict[tuple[str, str, str], list[c.Contract]] = {}
    for k in contracts:
        by_key.setdefault((k.provider_id, k.service_code, k.area_code), []).append(k)
    for key, group in by_key.items():
        ordered = sorted(group, key=lambda k: k.starts_on)
        if any(b.starts_on <= a.ends_on for a, b in zip(ordered, ordered[1:], strict=False)):
            yield FieldError(f"contracts[{'/'.join(key)}]", "has overlapping contract dates")
