"""The area comparison's table, ranking, chart and CSV: one set of cells for all of them."""

from datetime import date

from contracts.api.assessment import AreaDecisionsRow, AreaDecisionsView
from contracts.api.care_plans import AreaPlansRow, AreaPlansView, ProvisionRow, ProvisionView
from portal.area_chart import ranked_chart
from portal.area_table import BY_KEY, MEASURES, area_rows, csv_lines, ranked


def decisions(code: str, median: int | None, awarded: int, **extra) -> AreaDecisionsRow:
    return AreaDecisionsRow(
        area_code=code, claims=4, claims_decided=4 if median else 0,
        claim_to_decision_median_seconds=median, claim_to_decision_p90_seconds=median,
        decisions_in_force=4 if median else 0, awarded=awarded,
        average_award_weekly_pence=19_460 if awarded else None, reconsiderations=2,
        reconsiderations_decided=2, reconsiderations_changed=1, **extra,
    )  # fmt: skip


def plans(code: str, name: str) -> AreaPlansRow:
    return AreaPlansRow(
        area_code=code, area_name=name, open_plans=3, plans_agreed=2, shortfalls=1,
        shortfall_weekly_pence=1_250, top_ups=0, reviews_overdue=1,
    )  # fmt: skip


def provision(code: str, service: str, capacity: int, planned: int) -> ProvisionRow:
    return ProvisionRow(
        area=code, area_name=None, service=service, capacity_units=capacity,
        planned_units=planned, spare_units=max(0, capacity - planned),
        gap=max(0, planned - capacity),
    )  # fmt: skip


ROWS = area_rows(
    AreaDecisionsView(areas=[decisions("E08000025", 7_200, 3), decisions("E09000033", None, 0)]),
    AreaPlansView(on=date(2026, 12, 1), areas=[plans("E08000025", "Birmingham")]),
    ProvisionView(
        on=date(2026, 12, 1), catalogue_id="C",
        rows=[provision("E08000025", "HOME", 10, 14), provision("E08000025", "MEALS", 5, 1),
              provision("E06000023", "HOME", 7, 0)],
    ),
)  # fmt: skip


def test_every_area_any_service_knows_gets_a_row_with_each_measure() -> None:
    assert [r["area_code"] for r in ROWS] == ["E06000023", "E08000025", "E09000033"]
    birmingham = ROWS[1]["cells"]
    assert ROWS[1]["area_name"] == "Birmingham"
    assert (birmingham["median_hours"], birmingham["award_rate"]) == (2.0, 75.0)
    assert (birmingham["average_award"], birmingham["shortfall_pounds"]) == (194.6, 12.5)
    assert (birmingham["changed_rate"], birmingham["reviews_overdue"]) == (50.0, 1)
    assert (birmingham["capacity_units"], birmingham["planned_units"]) == (15, 15)
    assert birmingham["services_short"] == 1
    assert ROWS[0]["cells"]["claims"] is None  # assessment knows no claim there
    assert ROWS[2]["cells"]["median_hours"] is None and ROWS[2]["cells"]["award_rate"] is None


def test_ranking_puts_the_better_first_and_areas_without_a_figure_last() -> None:
    fastest = ranked(ROWS, BY_KEY["median_hours"])
    assert [(rank, r["area_code"]) for rank, r in fastest] == [
        (1, "E08000025"), (None, "E06000023"), (None, "E09000033"),
    ]  # fmt: skip
    capacity = ranked(ROWS, BY_KEY["capacity_units"])  # higher first
    assert [r["area_code"] for _, r in capacity][:2] == ["E08000025", "E06000023"]


def test_the_chart_labels_each_bar_with_its_rank_area_and_figure() -> None:
    svg = ranked_chart(ranked(ROWS, BY_KEY["capacity_units"]), BY_KEY["capacity_units"])
    assert 'role="img"' in svg and "<title" in svg
    assert "1. Birmingham" in svg and ">15<" in svg and "2. E06000023" in svg and ">7<" in svg
    assert "E09000033" not in svg  # no figure: in the table only


def test_the_csv_holds_the_tables_cells() -> None:
    header, *lines = csv_lines(ROWS)
    assert header == ["Area code", "Area"] + [m.label for m in MEASURES]
    birmingham = dict(zip(header, lines[1], strict=True))
    assert birmingham["Claim to decision, median (hours)"] == "2.0"
    assert birmingham["Average award (£ a week)"] == "194.60"
    assert birmingham["Shortfalls (£ a week)"] == "12.50"
    assert birmingham["Plans with a shortfall"] == "1"
    assert dict(zip(header, lines[2], strict=True))["Award rate (%)"] == ""
