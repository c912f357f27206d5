"""Loads the provider catalogue (one YAML file per edition) into domain objects.

Every field is type-checked with its path, so one pass reports every problem; money must be
whole pence (an int): `3120.0` or `"31.20"` is refused naming the field. A new edition is a new
file in the catalogue directory; no code changes.
"""

from datetime import date, datetime
from pathlib import Path
from typing import Any

import yaml

from care_plans.domain import catalogue as c
from care_plans.domain.catalogue_checks import check_edition
from care_plans.domain.errors import FieldError, InvalidCatalogue

CATALOGUE_DIR = Path(__file__).parent / "catalogue"

__all__ = ["CATALOGUE_DIR", "InvalidCatalogue", "edition_from_mapping", "load_catalogue"]


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
        data = yaml.safe_load(file.read_text(encoding="utf-8"))
        return edition_from_mapping(data)
    except yaml.YAMLError as error:
        raise InvalidCatalogue([FieldError(file.name, f"is not valid YAML: {error}")]) from None
    except InvalidCatalogue as invalid:
        raise InvalidCatalogue(
            [FieldError(f"{file.name}:{e.field}", e.message) for e in invalid.errors]
        ) from None


def edition_from_mapping(data: Any) -> c.CatalogueEdition:
    """Raises InvalidCatalogue listing every bad field, then every broken reference."""
    errors: list[FieldError] = []
    top = _Reader(data, "", errors)
    policy = top.child("review_policy")
    edition = c.CatalogueEdition(
        id=top.text("id"),
        effective_from=top.day("effective_from"),
        source=top.text("source"),
        areas=tuple(
            c.Area(a.text("code"), a.text("name"), a.optional_text("note"))
            for a in top.children("areas")
        ),
        providers=tuple(
            c.Provider(p.text("id"), p.text("name")) for p in top.children("providers")
        ),
        services=tuple(
            c.Service(s.text("code"), s.text("unit"), s.text("description"), s.texts("outcomes"))
            for s in top.children("services")
        ),
        contracts=tuple(_contracts(top.children("contracts"))),
        outcome_defaults=tuple(
            c.OutcomeDefault(
                d.text("outcome"),
                tuple(
                    c.OutcomeOption(o.text("service"), o.integer("units_per_week", 1))
                    for o in d.children("options")
                ),
            )
            for d in top.children("outcome_defaults")
        ),
        review_policy=c.ReviewPolicy(
            first_review_after_weeks=policy.integer("first_review_after_weeks", 1),
            interval_months=policy.integer("interval_months", 1),
            notice_days=policy.integer("notice_days", 0),
            citation=policy.text("citation"),
        ),
    )
    if not errors:
        errors.extend(check_edition(edition))
    if errors:
        raise InvalidCatalogue(errors)
    return edition


def _contracts(entries: list["_Reader"]):
    for entry in entries:
        provider, service = entry.text("provider"), entry.text("service")
        starts_on, ends_on = entry.day("starts_on"), entry.day("ends_on")
        for area in entry.children("areas"):
            yield c.Contract(
                provider_id=provider,
                service_code=service,
                area_code=area.text("area"),
                unit_rate_pence=area.pence("unit_rate_pence"),
                weekly_capacity_units=area.integer("weekly_capacity_units", 0),
                starts_on=starts_on,
                ends_on=ends_on,
            )


class _Reader:
    """Typed reads from one mapping; failures are collected with their field path."""

    def __init__(self, data: Any, path: str, errors: list[FieldError]) -> None:
        self.data = data if isinstance(data, dict) else {}
        self.path, self.errors = path, errors
        if not isinstance(data, dict):
            errors.append(FieldError(path or "catalogue", "must be a mapping"))

    def at(self, key: str) -> str:
        return f"{self.path}.{key}" if self.path else key

    def _get(self, key: str, kinds: type | tuple[type, ...], what: str, default: Any) -> Any:
        value = self.data.get(key)
        if value is None or isinstance(value, bool) or not isinstance(value, kinds):
            problem = "is missing" if value is None else f"got {value!r} ({type(value).__name__})"
            self.errors.append(FieldError(self.at(key), f"must be {what}; {problem}"))
            return default
        return value

    def text(self, key: str) -> str:
        return self._get(key, str, "text", "")

    def optional_text(self, key: str) -> str | None:
        return None if self.data.get(key) is None else self.text(key)

    def texts(self, key: str) -> tuple[str, ...]:
        values = self._get(key, list, "a list", [])
        for i, value in enumerate(values):
            if not isinstance(value, str):
                self.errors.append(FieldError(f"{self.at(key)}[{i}]", f"must be text: {value!r}"))
        return tuple(str(v) for v in values)

    def day(self, key: str) -> date:
        value = self._get(key, date, "a date (YYYY-MM-DD)", date.min)
        if isinstance(value, datetime):
            self.errors.append(FieldError(self.at(key), f"must be a date, not a time: {value}"))
        return value

    def integer(self, key: str, minimum: int) -> int:
        value = self._get(key, int, "a whole number", minimum)
        if value < minimum:
            self.errors.append(FieldError(self.at(key), f"must be at least {minimum}"))
        return value

    def pence(self, key: str) -> int:
        return self._get(key, int, "a whole number of pence (an integer, e.g. 3120)", 0)

    def child(self, key: str) -> "_Reader":
        return _Reader(self.data.get(key), self.at(key), self.errors)

    def children(self, key: str) -> list["_Reader"]:
        items = self._get(key, list, "a list", [])
        return [_Reader(item, f"{self.at(key)}[{i}]", self.errors) for i, item in enumerate(items)]
