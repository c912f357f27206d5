"""A policy analyst's calculator: a golden case loaded from its JSON file, worked out under two
rule sets side by side (each figure and explanation line marked where they differ), what-if by
date, bad input on the field at fault, and the case saved again as a golden case file."""

import json
from pathlib import Path

import pytest

from .staff import ASHA, staff_sign_in

pytestmark = pytest.mark.browser
GOLDEN = Path(__file__).parents[2] / "services/assessment/tests/golden"
PROPOSED = GOLDEN / "proposed-2026-27.json"  # worked out under the proposed GB-CARE-2026-27


def read_json(path: str | Path) -> dict:
    return json.loads(Path(path).read_text())


async def cells(journey, table: str, label: str) -> list[str]:
    """The text of a table's row, found by its header cell."""
    found = journey.page.locator(
        f"#{table} tr", has=journey.page.get_by_role("rowheader", name=label, exact=True)
    )
    return [c.strip() for c in await found.locator("th, td").all_inner_texts()]


async def test_two_rule_sets_compared_on_a_golden_case(journey) -> None:
    golden = read_json(PROPOSED)
    page = journey.page
    await staff_sign_in(journey, ASHA)
    await journey.click("Policy calculator", role="link")
    assert await journey.heading() == "Policy calculator"

    await journey.click("Work it out")
    assert (await journey.title()).startswith("Error: ")
    assert "Enter the case, or load a golden case" in await journey.text("#case-error")

    await page.locator("#golden").set_input_files(PROPOSED)
    await page.locator("#rule_set_a").select_option("GB-CARE-2025-26")
    await page.locator("#rule_set_b").select_option("GB-CARE-2026-27")
    await journey.click("Work it out")
    assert json.loads(await page.locator("#case").input_value()) == golden["input"]
    assert await page.locator("#on-year").input_value() == "2026"
    rule_sets = await cells(journey, "figures", "Rule set")
    assert rule_sets == ["Rule set", "GB-CARE-2025-26", "GB-CARE-2026-27", "Differs"]
    monthly = await cells(journey, "figures", "Award a month")
    assert monthly[2] == "£459.98" and monthly[1] != monthly[2] and monthly[3] == "Differs"
    assert (await cells(journey, "figures", "Eligible"))[1:] == ["Yes", "Yes", ""]
    rates = await cells(journey, "lines", "award.daily_living")
    assert rates[3] == "Differs" and "a week" in rates[1] and "a week" in rates[2]

    await page.locator("#rule_set_a").select_option("")  # the rules in force on the date
    await page.locator("#rule_set_b").select_option("")
    await page.locator("#on-day").fill("2")
    await page.locator("#on-month").fill("6")
    await page.locator("#on-year").fill("2025")
    await journey.click("Work it out")
    assert await journey.text("#result") == "Under GB-CARE-2025-26, on 2 June 2025"
    assert "We used the Care Benefit rules 2025 to 2026" in await journey.text("#explanation")

    case = json.loads(await page.locator("#case").input_value())
    async with page.expect_download() as download:
        await page.get_by_role("button", name="Save as a golden case").click()
    saved = read_json(await (await download.value).path())
    assert (saved["args"], saved["input"], saved["exit_code"]) == (["--on", "2025-06-02"], case, 0)
    assert saved["output"]["rule_set_id"] == "GB-CARE-2025-26"

    case["descriptors"]["2"] = "1f"
    await page.locator("#case").fill(json.dumps(case))
    await journey.click("Work it out")
    assert "Descriptor 1f belongs to activity 1" in await journey.text("#case-error")
    await page.locator("#case").fill('{"descriptors": ')
    await journey.click("Work it out")
    assert "The case must be JSON" in await journey.text("#case-error")
