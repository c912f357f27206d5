"""The area comparison's one table: every measure per local authority area, from assessment's
and care plans' /ops/areas and care plans' /ops/provision. The page, its ranked chart and the
CSV download all read these cells, so they show the same numbers."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from contracts.api.assessment import AreaDecisionsRow, AreaDecisionsView
from contracts.api.care_plans import AreaPlansRow, AreaPlansView, ProvisionView

Cell = float | int | None


@dataclass(frozen=True)
class Measure:
    key: str
    label: str  # with its unit: the table's header and the CSV's
    value: Callable[[dict[str, Any]], Cell]
    better: str = "lower"  # which way ranks first: "lower" or "higher"
    group: str = "Claims and awards"
    places: int = 1  # decimal places of a figure that is not a count

    def text(self, cell: Cell) -> str:
        """The cell as the table and the CSV show it ('' when there is no figure)."""
        if cell is None:
            return ""
        return f"{cell:.{self.places}f}" if isinstance(cell, float) else str(cell)


def _hours(seconds: int | None) -> float | None:
    return None if seconds is None else round(seconds / 3600, 1)


def _pounds(pence: int | None) -> float | None:
    return None if pence is None else round(pence / 100, 2)


def _percent(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 1) if whole else None


def _d(row: dict[str, Any]) -> AreaDecisionsRow | None:
    return row.get("decisions")


def _p(row: dict[str, Any]) -> AreaPlansRow | None:
    return row.get("plans")


def _of(part: Callable[[dict[str, Any]], Any], field: str) -> Callable[[dict[str, Any]], Cell]:
    return lambda row: None if (found := part(row)) is None else getattr(found, field)


_R, _C = "Reconsiderations", "Care plans and provision"
MEASURES = (
    Measure("claims", "Claims", _of(_d, "claims"), "higher"),
    Measure("median_hours", "Claim to decision, median (hours)",
            lambda r: _hours(_of(_d, "claim_to_decision_median_seconds")(r))),
    Measure("p90_hours", "Claim to decision, 90th percentile (hours)",
            lambda r: _hours(_of(_d, "claim_to_decision_p90_seconds")(r))),
    Measure("decided", "Decisions in force", _of(_d, "decisions_in_force"), "higher"),
    Measure("award_rate", "Award rate (%)",
            lambda r: None if (d := _d(r)) is None else _percent(d.awarded, d.decisions_in_force),
            "higher"),
    Measure("average_award", "Average award (£ a week)",
            lambda r: _pounds(_of(_d, "average_award_weekly_pence")(r)), "higher", places=2),
    Measure("reconsiderations", "Reconsiderations", _of(_d, "reconsiderations"), group=_R),
    Measure("changed", "Reconsiderations that changed the decision",
            _of(_d, "reconsiderations_changed"), group=_R),
    Measure("changed_rate", "Changed, of those decided (%)",
            lambda r: None if (d := _d(r)) is None
            else _percent(d.reconsiderations_changed, d.reconsiderations_decided), group=_R),
    Measure("plans_agreed", "Plans agreed", _of(_p, "plans_agreed"), "higher", _C),
    Measure("shortfalls", "Plans with a shortfall", _of(_p, "shortfalls"), group=_C),
    Measure("shortfall_pounds", "Shortfalls (£ a week)",
            lambda r: _pounds(_of(_p, "shortfall_weekly_pence")(r)), group=_C, places=2),
    Measure("reviews_overdue", "Reviews overdue", _of(_p, "reviews_overdue"), group=_C),
    Measure("capacity_units", "Contracted capacity (units a week)",
            lambda r: r.get("capacity_units"), "higher", _C),
    Measure("planned_units", "Planned use (units a week)", lambda r: r.get("planned_units"),
            group=_C),
    Measure("services_short", "Services planned beyond capacity",
            lambda r: r.get("services_short"), group=_C),
)  # fmt: skip
GROUPS = tuple(dict.fromkeys(m.group for m in MEASURES))
BY_KEY = {m.key: m for m in MEASURES}


def area_rows(
    decisions: AreaDecisionsView | None,
    plans: AreaPlansView | None,
    provision: ProvisionView | None,
) -> list[dict[str, Any]]:
    """One row per area any service knows, by area code: its name and every measure's cell."""
    areas: dict[str, dict[str, Any]] = {}

    def area(code: str, name: str | None = None) -> dict[str, Any]:
        row = areas.setdefault(code, {"area_code": code, "area_name": None})
        row["area_name"] = row["area_name"] or name
        return row

    for d in decisions.areas if decisions else []:
        area(d.area_code)["decisions"] = d
    for p in plans.areas if plans else []:
        area(p.area_code, p.area_name)["plans"] = p
    for s in provision.rows if provision else []:
        row = area(s.area, s.area_name)
        row["capacity_units"] = row.get("capacity_units", 0) + s.capacity_units
        row["planned_units"] = row.get("planned_units", 0) + s.planned_units
        row["services_short"] = row.get("services_short", 0) + (s.gap > 0)
    for row in areas.values():
        row["cells"] = {m.key: m.value(row) for m in MEASURES}
    return [areas[code] for code in sorted(areas)]


def ranked(rows: list[dict[str, Any]], measure: Measure) -> list[tuple[int | None, dict]]:
    """(rank, row) best first by `measure`; areas with no figure last, unranked."""
    figured = [r for r in rows if r["cells"][measure.key] is not None]
    figured.sort(key=lambda r: r["cells"][measure.key], reverse=measure.better == "higher")
    rest = [r for r in rows if r["cells"][measure.key] is None]
    return [(i, r) for i, r in enumerate(figured, 1)] + [(None, r) for r in rest]


def csv_lines(rows: list[dict[str, Any]]) -> list[list[str]]:
    """The CSV: a header, then one line per area, the cells as the table shows them."""
    header = ["Area code", "Area"] + [m.label for m in MEASURES]
    return [header] + [
        [r["area_code"], r["area_name"] or ""] + [m.text(r["cells"][m.key]) for m in MEASURES]
        for r in rows
    ]
