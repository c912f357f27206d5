"""National operations compare areas in a real browser on the real platform: the ranked chart
and its table, every measure area by area, and a CSV download with the same numbers. Every
page is axe-checked (the journey fixture)."""

import csv
import io

import asyncpg
import pytest
from devstack.drive import eventually

from .test_operations_console import sign_in_as_operator

pytestmark = pytest.mark.browser
MANCHESTER = "E08000003"
TABLES = """() => [...document.querySelectorAll("table[id^=area-comparison]")].map(t => ({
  headers: [...t.querySelectorAll("thead th")].slice(1).map(h => h.innerText.trim()),
  rows: [...t.querySelectorAll("tbody tr")].map(r => [r.dataset.area,
    ...[...r.querySelectorAll("td")].map(c => c.innerText.trim())]),
}))"""


async def plans_of(platform, person: str) -> int:
    care_plans = await asyncpg.connect(platform.infra.database_url("care_plans"))
    try:
        return await care_plans.fetchval("SELECT count(*) FROM plans WHERE person_id = $1", person)
    finally:
        await care_plans.close()


def page_cells(tables: list[dict]) -> dict[str, dict[str, str]]:
    cells: dict[str, dict[str, str]] = {}
    for table in tables:
        for area, *values in table["rows"]:
            cells.setdefault(area, {}).update(zip(table["headers"], values, strict=True))
    return cells


def csv_cells(text: str) -> dict[str, dict[str, str]]:
    rows = list(csv.DictReader(io.StringIO(text)))
    return {r.pop("Area code"): {k: v for k, v in r.items() if k != "Area"} for r in rows}


async def test_an_operator_compares_areas_and_the_csv_has_the_same_numbers(
    journey, platform
) -> None:
    person = await platform.submit(correlation_id="browser-areas", area_code=MANCHESTER)
    await eventually(lambda: plans_of(platform, person["person_id"]))
    await sign_in_as_operator(journey)
    await journey.click("Area performance", role="link")
    assert await journey.heading() == "Area performance"
    chart = journey.page.locator("svg.ops-ranked title")
    assert "ranked by claim to decision, median (hours)" in await chart.text_content()

    for _ in range(10):  # events still flowing between the two reads would differ
        on_page = page_cells(await journey.page.evaluate(TABLES))
        download = await journey.page.request.get(journey.base_url + "/ops/areas.csv")
        assert download.ok and download.headers["content-type"].startswith("text/csv")
        in_csv = csv_cells(await download.text())
        if on_page == in_csv:
            break
        await journey.page.reload()
        await journey.check()
    assert on_page == in_csv
    manchester = on_page[MANCHESTER]
    assert int(manchester["Claims"]) >= 1 and int(manchester["Decisions in force"]) >= 1
    assert manchester["Claim to decision, median (hours)"] != ""
    assert int(manchester["Contracted capacity (units a week)"]) > 0

    await journey.page.get_by_label("Rank areas by").select_option(label="Claims")
    await journey.click("Rank")
    ranked = journey.page.locator("#ranked-areas tbody tr")
    figures = [int(await row.locator("td").nth(1).inner_text())
               for row in await ranked.all()
               if (await row.locator("td").nth(1).inner_text()).isdigit()]  # fmt: skip
    assert figures == sorted(figures, reverse=True) and figures  # more claims first
    assert "1. " in await journey.page.locator("svg.ops-ranked").text_content()
