"""Consistency checks over a whole catalogue edition: every reference resolves, every outcome
has a default, no provider holds two overlapping contracts for the same service and area."""

from collections import Counter

from care_plans.domain.catalogue import CatalogueEdition, Contract
from care_plans.domain.errors import FieldError
from care_plans.domain.outcomes import OUTCOME_CODES


def check_edition(edition: CatalogueEdition) -> list[FieldError]:
    errors: list[FieldError] = []
    _unique(errors, "areas", [a.code for a in edition.areas])
    _unique(errors, "providers", [p.id for p in edition.providers])
    _unique(errors, "services", [s.code for s in edition.services])
    for service in edition.services:
        for outcome in sorted(set(service.outcomes) - OUTCOME_CODES):
            errors.append(
                FieldError(f"services[{service.code}].outcomes", f"{outcome!r} is not a-j")
            )
    _check_defaults(edition, errors)
    for contract in edition.contracts:
        _check_contract(edition, contract, errors)
    _check_overlaps(edition.contracts, errors)
    return errors


def _unique(errors: list[FieldError], where: str, keys: list[str]) -> None:
    for key, count in Counter(keys).items():
        if count > 1:
            errors.append(FieldError(f"{where}[{key}]", f"is listed {count} times"))


def _check_defaults(edition: CatalogueEdition, errors: list[FieldError]) -> None:
    services = {s.code: s for s in edition.services}
    seen = [d.outcome for d in edition.outcome_defaults]
    _unique(errors, "outcome_defaults", seen)
    for outcome in sorted(OUTCOME_CODES - set(seen)):
        errors.append(FieldError("outcome_defaults", f"outcome {outcome!r} has no default"))
    for default in edition.outcome_defaults:
        where = f"outcome_defaults[{default.outcome}]"
        if default.outcome not in OUTCOME_CODES:
            errors.append(FieldError(f"{where}.outcome", "must be one of a-j"))
        if not default.options:
            errors.append(FieldError(f"{where}.options", "needs at least one service"))
        for option in default.options:
            service = services.get(option.service_code)
            if service is None:
                errors.append(FieldError(f"{where}.options", f"unknown {option.service_code!r}"))
            elif default.outcome not in service.outcomes:
                errors.append(
                    FieldError(
                        f"{where}.options",
                        f"{option.service_code} does not list outcome {default.outcome!r}",
                    )
                )
            if option.units_per_week < 1:
                errors.append(FieldError(f"{where}.units_per_week", "must be at least 1"))


def _check_contract(edition: CatalogueEdition, c: Contract, errors: list[FieldError]) -> None:
    where = f"contracts[{c.provider_id}/{c.service_code}/{c.area_code}]"
    known = (
        ("provider", c.provider_id, {p.id for p in edition.providers}),
        ("service", c.service_code, {s.code for s in edition.services}),
        ("area", c.area_code, {a.code for a in edition.areas}),
    )
    for what, value, valid in known:
        if value not in valid:
            errors.append(FieldError(f"{where}.{what}", f"unknown {what} {value!r}"))
    if c.ends_on < c.starts_on:
        errors.append(FieldError(f"{where}.ends_on", "is before starts_on"))
    if c.unit_rate_pence < 1:
        errors.append(FieldError(f"{where}.unit_rate_pence", "must be at least 1 penny"))


def _check_overlaps(contracts: tuple[Contract, ...], errors: list[FieldError]) -> None:
    by_key: dict[tuple[str, str, str], list[Contract]] = {}
    for c in contracts:
        by_key.setdefault((c.provider_id, c.service_code, c.area_code), []).append(c)
    for key, group in by_key.items():
        ordered = sorted(group, key=lambda c: c.starts_on)
        for earlier, later in zip(ordered, ordered[1:], strict=False):
            if later.starts_on <= earlier.ends_on:
                errors.append(
                    FieldError(f"contracts[{'/'.join(key)}]", "has overlapping contract dates")
                )
