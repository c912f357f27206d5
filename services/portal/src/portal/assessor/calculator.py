"""The policy calculator: a case (the calculator's JSON case format) worked out on a date, under
the rules in force then or a named rule set, and compared with another rule set side by side,
each line of the explanation and of the award; golden cases loaded from and saved as JSON (the
calculator command's format, services/assessment/tests/golden). Nothing is recorded against a
person: the assessment service's calculator only works cases out."""

import json
from dataclasses import dataclass
from datetime import date
from typing import Any

from contracts.api.assessment import DecisionBody, RuleSets
from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response
from starlette.datastructures import FormData, UploadFile

from portal.assessor.forms import Problems, date_from
from portal.assessor.pages import Assessor, page
from portal.assessor.workspace import Workspace
from portal.formatting import money
from portal.security import check_csrf

router = APIRouter(prefix="/assessor/calculator")
MAX_CASE = 100_000  # characters of JSON


@dataclass
class Asked:
    case: dict[str, Any] | None
    on: date | None
    rule_sets: list[str | None]
    """The rule sets to work it out under (None: the one in force on the date); one or two."""


@router.get("")
async def calculator(request: Request, user: Assessor) -> Response:
    return await _page(request, user, {"on": date.today().isoformat()})


@router.post("", dependencies=[Depends(check_csrf)])
async def work_out(request: Request, user: Assessor) -> Response:
    values, asked, problems = await _sent(request)
    if problems:
        return await _page(request, user, values, problems)
    ws = Workspace(request, user)
    results = []
    for rule_set in asked.rule_sets:
        body = {"on": asked.on.isoformat(), "case": asked.case, "rule_set_id": rule_set}
        answer = await ws.send("POST", "assessment", "/calculator", body)
        if not answer.ok:
            field = "rule_set_a" if rule_set == asked.rule_sets[0] else "rule_set_b"
            problems.from_service(answer.errors(), {"case": "case", "on": "on-day"}, field)
            return await _page(request, user, values, problems)
        results.append(DecisionBody.model_validate(answer.body))
    return await _page(request, user, values, results=results)


@router.post("/golden", dependencies=[Depends(check_csrf)])
async def save_golden(request: Request, user: Assessor) -> Response:
    """The case and its decision on the date as a golden case, downloaded as a JSON file."""
    values, asked, problems = await _sent(request)
    if problems:
        return await _page(request, user, values, problems)
    body = {"on": asked.on.isoformat(), "case": asked.case}
    answer = await Workspace(request, user).send("POST", "assessment", "/calculator/golden", body)
    if not answer.ok:
        problems.from_service(answer.errors(), {"case": "case", "on": "on-day"}, "case")
        return await _page(request, user, values, problems)
    return Response(
        json.dumps(answer.body, indent=2, ensure_ascii=False) + "\n",
        media_type="application/json",
        headers={"Content-Disposition": f'attachment; filename="golden-case-{asked.on}.json"'},
    )


async def _sent(request: Request) -> tuple[dict[str, Any], Asked, Problems]:
    problems = Problems()
    values = await _values(await request.form(), problems)
    return values, _asked(values, problems), problems


async def _values(form: FormData, problems: Problems) -> dict[str, Any]:
    """What was sent, with a golden case file (when one was chosen) loaded in place of the case
    and the date (the file wins: loading is what choosing a file asks for)."""
    values = {k: str(form.get(k, "")).strip() for k in ("case", "rule_set_a", "rule_set_b")}
    parts = [str(form.get(f"on-{p}", "")).strip() for p in ("day", "month", "year")]
    values |= dict(zip(("on-day", "on-month", "on-year"), parts, strict=True))
    upload = form.get("golden")
    if isinstance(upload, UploadFile) and upload.filename:
        loaded = _golden(await upload.read(MAX_CASE + 1), problems)
        if loaded is not None:
            case, on = loaded
            values["case"] = json.dumps(case, indent=2)
            if on is not None:
                values |= _date_parts(on)
    return values


def _golden(raw: bytes, problems: Problems) -> tuple[dict[str, Any], date | None] | None:
    try:
        golden = json.loads(raw.decode("utf-8")) if len(raw) <= MAX_CASE else None
    except (UnicodeDecodeError, json.JSONDecodeError):
        golden = None
    if not isinstance(golden, dict) or not isinstance(golden.get("input"), dict):
        problems.add("golden", "The file must be a golden case: JSON with the case at “input”")
        return None
    args = [str(a) for a in golden.get("args", [])]
    on = args[args.index("--on") + 1] if "--on" in args[:-1] else None
    try:
        return golden["input"], date.fromisoformat(on) if on else None
    except ValueError:
        problems.add("golden", "The golden case's date (--on) must be a date like 2025-06-02")
        return None


def _date_parts(on: date) -> dict[str, str]:
    return {"on-day": str(on.day), "on-month": str(on.month), "on-year": str(on.year)}


def _asked(values: dict[str, Any], problems: Problems) -> Asked:
    case = None
    if not values["case"]:
        problems.add("case", "Enter the case, or load a golden case")
    elif len(values["case"]) > MAX_CASE:
        problems.add("case", f"The case must be {MAX_CASE:,} characters or fewer")
    else:
        try:
            case = json.loads(values["case"])
        except json.JSONDecodeError as bad:
            problems.add("case", f"The case must be JSON: {bad.msg} at line {bad.lineno}")
        if case is not None and not isinstance(case, dict):
            problems.add("case", 'The case must be a JSON object, like {"descriptors": …}')
            case = None
    on = date_from(
        values["on-day"], values["on-month"], values["on-year"], problems, "on-day", "The date"
    )
    if on is None and "on-day" not in problems.errors:
        problems.add("on-day", "Enter the date to work the case out on")
    chosen = [values["rule_set_a"] or None]
    if values["rule_set_b"]:
        if values["rule_set_b"] == values["rule_set_a"]:
            problems.add("rule_set_b", "Choose a different rule set to compare with")
        chosen.append(values["rule_set_b"])
    return Asked(case, on, chosen)


async def _page(
    request: Request,
    user: Any,
    values: dict[str, Any],
    problems: Problems | None = None,
    results: list[DecisionBody] | None = None,
) -> Response:
    if "on" in values:
        values |= _date_parts(date.fromisoformat(values.pop("on")))
    found = await Workspace(request, user).read("assessment", "/rule-sets", RuleSets)
    rule_sets = found.rule_sets if found else []
    return page(
        request,
        "calculator.html",
        400 if problems else 200,
        title="Policy calculator",
        values=values,
        problems=problems or None,
        rule_sets=rule_sets,
        results=results or [],
        comparison=compare(*results) if results and len(results) == 2 else None,
    )


def compare(a: DecisionBody, b: DecisionBody) -> dict[str, list[dict[str, Any]]]:
    """The two decisions line by line: the figures that decide the award, then every line of
    the explanation (matched by the rule it applies), each marked where they differ."""
    figures = [
        _row(label, first, second)
        for (label, first), (_, second) in zip(_figures(a), _figures(b), strict=True)
    ]
    texts_a = {line.rule: line.text for line in a.explanation}
    texts_b = {line.rule: line.text for line in b.explanation}
    rules = list(texts_a) + [r for r in texts_b if r not in texts_a]
    lines = [_row(rule, texts_a.get(rule, "–"), texts_b.get(rule, "–")) for rule in rules]
    return {"figures": figures, "lines": lines}


def _row(label: str, first: str, second: str) -> dict[str, Any]:
    return {"label": label, "a": first, "b": second, "differs": first != second}


def _figures(body: DecisionBody) -> list[tuple[str, str]]:
    rows = [("Rule set", body.rule_set_id), ("Charging rules", body.charging_rule_set_id or "–")]
    for code in ("daily_living", "mobility"):
        part = body.components.get(code)
        name = code.replace("_", " ").capitalize()
        rows.append((name, f"{part.points} points, {part.band}" if part else "–"))
    award = body.award
    rows += [
        ("Care Act", "Eligible" if body.care_act.eligible else "Not eligible"),
        ("Financially eligible", "Yes" if body.means.financially_eligible else "No"),
        ("Contribution a week", money(body.means.weekly_contribution_pence)),
        ("Award before contribution a week", money(award.gross_weekly_pence)),
        ("Award a week", money(award.net_weekly_pence)),
        ("Award a month", money(award.net_monthly_pence)),
        ("Eligible", "Yes" if body.eligible else "No"),
    ]
    return rows
