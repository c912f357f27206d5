"""Golden cases in tests/golden run through the calculator CLI as a subprocess.

Each case holds the CLI args, the input JSON, the exit code and the whole output JSON.
After a deliberate change, regenerate with UPDATE_GOLDEN=1 and review the diff.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

GOLDEN_DIR = Path(__file__).parents[1] / "golden"
CASES = sorted(GOLDEN_DIR.glob("*.json"))


def run_calculator(args: list[str], stdin: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "assessment", *args],
        input=stdin,
        capture_output=True,
        text=True,
        encoding="utf-8",
        check=False,
    )


@pytest.mark.parametrize("path", CASES, ids=[p.stem for p in CASES])
def test_golden_case(path: Path):
    case = json.loads(path.read_text(encoding="utf-8"))
    result = run_calculator(case["args"], json.dumps(case["input"]))
    output = json.loads(result.stdout)
    if os.environ.get("UPDATE_GOLDEN"):
        case.update(exit_code=result.returncode, output=output)
        path.write_text(json.dumps(case, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    assert (result.returncode, output) == (case["exit_code"], case["output"]), result.stderr


def test_there_are_golden_cases():
    assert len(CASES) >= 8


def test_invalid_json_is_an_error_with_exit_code_2():
    result = run_calculator(["--on", "2025-06-02"], "{not json")
    assert result.returncode == 2
    assert json.loads(result.stdout)["errors"][0]["field"] == "$"


def test_bad_date_is_an_error_with_exit_code_2():
    result = run_calculator(["--on", "07/04/2025"], "{}")
    assert result.returncode == 2
    assert json.loads(result.stdout) == {
        "errors": [{"field": "--on", "message": "must be a date YYYY-MM-DD, got '07/04/2025'"}]
    }


def test_date_defaults_to_today(monkeypatch):
    from datetime import date
    from io import StringIO

    from assessment.__main__ import main

    case = json.loads((GOLDEN_DIR / "proposed-2026-27.json").read_text(encoding="utf-8"))
    out = StringIO()
    code = main([], stdin=StringIO(json.dumps(case["input"])), stdout=out, today=date(2026, 5, 1))
    assert code == 0
    assert json.loads(out.getvalue())["decided_on"] == "2026-05-01"


def test_the_documented_example_is_the_golden_case():
    doc = (Path(__file__).parents[4] / "docs" / "calculator.md").read_text(encoding="utf-8")
    printed = doc.split("prints (exit status 0):\n\n```json\n", 1)[1].split("\n```\n", 1)[0]
    case = json.loads(
        (GOLDEN_DIR / "standard-daily-living-with-contribution-2025-26.json").read_text("utf-8")
    )
    assert json.loads(printed) == case["output"]
