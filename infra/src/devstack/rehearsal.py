"""Rehearsal rule sets: next April's uprating tried on today's awards (the e2e test of the
uprating and `devstack.national_bench` run the real job against these)."""

import re
from datetime import date, timedelta
from pathlib import Path

from devstack.paths import repo_root

REHEARSAL = "GB-CARE-REHEARSAL"
SAME_AGAIN = "GB-CARE-REHEARSAL-SAME"


def rule_sets_with_a_rise_tomorrow(directory: Path) -> Path:
    """The service's rule sets and a copy of the latest in force from tomorrow, its PIP daily
    living rates higher: a rehearsal of next April's uprating on today's awards."""
    rulesets = repo_root() / "services/assessment/src/assessment/rulesets"
    for file in rulesets.glob("*.yaml"):
        (directory / file.name).write_text(file.read_text())
    latest = (rulesets / "GB-CARE-2026-27.yaml").read_text()
    tomorrow = (date.today() + timedelta(days=1)).isoformat()
    rehearsal = re.sub(r"(?m)^id: .*$", f"id: {REHEARSAL}", latest)
    rehearsal = re.sub(
        r"(?m)^(\s*)effective_from: .*$", rf"\g<1>effective_from: {tomorrow}", rehearsal
    )
    rehearsal = rehearsal.replace(
        "daily_living: {standard_pence: 7670, enhanced_pence: 11460",
        "daily_living: {standard_pence: 8070, enhanced_pence: 11960",
    )
    (directory / f"{REHEARSAL}.yaml").write_text(rehearsal)
    return directory


def same_rates_the_day_after(directory: Path) -> Path:
    """A further rule set, from the day after tomorrow, with the rehearsal's rates unchanged."""
    rehearsal = (directory / f"{REHEARSAL}.yaml").read_text()
    later = (date.today() + timedelta(days=2)).isoformat()
    same = re.sub(r"(?m)^id: .*$", f"id: {SAME_AGAIN}", rehearsal)
    same = re.sub(r"(?m)^(\s*)effective_from: .*$", rf"\g<1>effective_from: {later}", same)
    (directory / f"{SAME_AGAIN}.yaml").write_text(same)
    return directory
