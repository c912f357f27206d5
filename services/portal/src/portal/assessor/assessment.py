"""Recording an assessment as a GOV.UK task list: the 12 activities (one page each), the Care
Act outcomes, the carer's assessment, the means (pre-filled from the UC claim) and, for a change
of circumstances, its date, or for a reconsideration, the reviewer's reasons. Each page saves
its part at once (the assessment service keeps the draft, so the assessor can stop and come
back); check answers shows what the calculator would decide; submitting decides."""

from dataclasses import dataclass
from typing import Any

from contracts.api.assessment import CaseDetail, DecisionBody, DraftView, RuleSetView
from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response
from starlette.datastructures import FormData

from portal.assessor import sections
from portal.assessor.forms import Problems
from portal.assessor.pages import (
    Assessor,
    case_workspace,
    changed_meanwhile,
    conflict,
    page,
    see_other,
    version_of,
)
from portal.assessor.starting import start_page
from portal.assessor.workspace import Workspace
from portal.security import check_csrf

router = APIRouter(prefix="/assessor/cases/{case_id}")
PURPOSES = {
    "new_claim": "New claim",
    "change_of_circumstances": "Change of circumstances",
    "reconsideration": "Reconsideration",
}


def slug_of(section: str) -> str:
    return f"activity-{section}" if section.isdigit() else section.replace("_", "-")


def section_of(slug: str) -> str:
    return (
        slug.removeprefix("activity-") if slug.startswith("activity-") else slug.replace("-", "_")
    )


@dataclass
class Loaded:
    ws: Workspace
    case: CaseDetail
    rules: RuleSetView | None

    @property
    def draft(self) -> DraftView | None:
        return self.case.draft

    def parts(self) -> tuple[DraftView, RuleSetView]:
        """The assessment in progress and its rule set (once it is known there is one)."""
        if self.case.draft is None or self.rules is None:
            raise LookupError("no assessment is in progress on the case")
        return self.case.draft, self.rules

    @property
    def base(self) -> str:
        return f"/assessor/cases/{self.case.case.case_id}/assessment"


async def _load(request: Request, user: Any, case_id: str) -> tuple[Loaded | None, Response | None]:
    ws, instead = await case_workspace(request, user, case_id)
    if ws is None:
        return None, instead
    case = await ws.read("assessment", f"/cases/{case_id}", CaseDetail)
    if case is None:
        return None, page(request, "missing.html", 404, title="No such case")
    rules = None
    if case.draft is not None:
        rules = await ws.read("assessment", f"/rule-sets/{case.draft.rule_set_id}", RuleSetView)
    return Loaded(ws, case, rules), None


def _tasks(loaded: Loaded) -> list[dict[str, Any]]:
    draft, rules = loaded.parts()
    names = {a.number: f"{a.number}. {a.name}" for a in rules.activities}
    names |= {
        "care_act": "Care Act outcomes",
        "carer": "The carer's assessment",
        "means": "Means: capital, income and costs",
        "change": "The date of the change",
        "reasons": "Your reasons for the outcome",
    }
    tasks = []
    for section in draft.sections:
        done = section in draft.answered
        result = draft.activity_results.get(section)
        hint = f"{result.descriptor}: {result.points} points" if result and done else None
        tasks.append(
            {
                "title": {"text": names[section]},
                "href": f"{loaded.base}/{slug_of(section)}",
                "hint": {"text": hint} if hint else None,
                "status": {"text": "Completed"}
                if done
                else {"tag": {"text": "Incomplete", "classes": "govuk-tag--blue"}},
            }
        )
    return tasks


@router.get("/assessment")
async def task_list(request: Request, case_id: str, user: Assessor) -> Response:
    loaded, instead = await _load(request, user, case_id)
    if loaded is None:
        return instead
    if loaded.draft is None:
        if loaded.case.case.status == "open":
            return start_page(request, loaded.case, "new_claim")
        if loaded.case.case.status == "decided":
            return see_other(f"/assessor/cases/{case_id}/change")
        return see_other(f"/assessor/cases/{case_id}")
    return page(
        request,
        "task_list.html",
        title=f"{PURPOSES[loaded.draft.purpose]}: {loaded.case.person.full_name}",
        case=loaded.case,
        draft=loaded.draft,
        tasks=_tasks(loaded),
        base=loaded.base,
    )


# --- one page per part -----------------------------------------------------------------------


def _values(loaded: Loaded, section: str) -> dict[str, Any]:
    draft, rules = loaded.parts()
    if section.isdigit():
        return sections.activity_values(_activity(rules, section), draft)
    return {
        "care_act": lambda: sections.care_act_values(draft),
        "carer": lambda: sections.carer_values(draft),
        "means": lambda: sections.means_values(draft, loaded.case.person.date_of_birth.isoformat()),
        "change": lambda: sections.change_values(draft),
        "reasons": lambda: sections.reasons_values(draft),
    }[section]()


def _parse(loaded: Loaded, section: str, form: FormData, problems: Problems) -> sections.Parsed:
    rules = loaded.parts()[1]
    if section.isdigit():
        return sections.parse_activity(_activity(rules, section), form, problems)
    return {
        "care_act": lambda: sections.parse_care_act(rules, form, problems),
        "carer": lambda: sections.parse_carer(rules, form, problems),
        "means": lambda: sections.parse_means(rules, form, problems),
        "change": lambda: sections.parse_change(form, problems),
        "reasons": lambda: sections.parse_reasons(form, problems),
    }[section]()


def _activity(rules: RuleSetView, number: str):
    return next(a for a in rules.activities if a.number == number)


def _section_page(
    request: Request, loaded: Loaded, section: str, values: dict, problems: Problems | None = None
) -> Response:
    draft, rules = loaded.parts()
    template = "activity.html" if section.isdigit() else f"{section}.html"
    activity = _activity(rules, section) if section.isdigit() else None
    titles = {
        "care_act": "Care Act outcomes",
        "carer": "The carer's assessment",
        "means": "Means: capital, income and costs",
        "change": "When did the change happen?",
        "reasons": "Your reasons for the outcome",
    }
    return page(
        request,
        template,
        400 if problems else 200,
        title=activity.name if activity else titles[section],
        case=loaded.case,
        draft=draft,
        rules=rules,
        activity=activity,
        result=draft.activity_results.get(section),
        values=values,
        problems=problems,
        action=f"{loaded.base}/{slug_of(section)}",
        back=loaded.base,
    )


async def _loaded_section(
    request: Request, user: Any, case_id: str, slug: str
) -> tuple[Loaded | None, str, Response | None]:
    loaded, instead = await _load(request, user, case_id)
    if loaded is None:
        return None, "", instead
    section = section_of(slug)
    if loaded.draft is None or section not in loaded.draft.sections:
        return None, section, see_other(f"/assessor/cases/{case_id}/assessment")
    return loaded, section, None


def _as_values(form: FormData) -> dict[str, Any]:
    """What was sent, to show again with its errors (checkbox groups as lists)."""
    values: dict[str, Any] = {}
    for key in form:
        many = form.getlist(key)
        values[key] = (
            [str(v) for v in many] if key.startswith(("unreliable-", "flags")) else str(many[-1])
        )
    return values


def _next(loaded: Loaded, section: str) -> str:
    """The next part not done yet after this one, else the task list."""
    draft = loaded.parts()[0]
    order = draft.sections
    later = order[order.index(section) + 1 :]
    pending = [s for s in later if s not in draft.answered]
    return f"{loaded.base}/{slug_of(pending[0])}" if pending else loaded.base


# --- check answers, submit, the decision ------------------------------------------------------


@router.get("/assessment/check")
async def check_answers(request: Request, case_id: str, user: Assessor) -> Response:
    loaded, instead = await _load(request, user, case_id)
    if loaded is None:
        return instead
    draft = loaded.draft
    if draft is None:
        return see_other(f"/assessor/cases/{case_id}")
    missing = [s for s in draft.sections if s not in draft.answered]
    preview, problems = None, Problems()
    if missing:
        for section in missing:
            problems.errors[f"task-{section}"] = (
                f"{section.replace('_', ' ').capitalize()} is not done yet"
            )
    else:
        body = {"on": draft.decision_date.isoformat(), "case": draft.facts}
        answer = await loaded.ws.send("POST", "assessment", "/calculator", body)
        if answer.ok:
            preview = DecisionBody.model_validate(answer.body)
        else:
            problems.from_service(answer.errors(), {}, "submit")
    return page(
        request,
        "check.html",
        title="Check the assessment before you submit it",
        case=loaded.case,
        draft=draft,
        rules=loaded.rules,
        preview=preview,
        problems=problems or None,
        base=loaded.base,
        slug_of=slug_of,
        purpose=PURPOSES[draft.purpose],
    )


@router.post("/assessment/submit", dependencies=[Depends(check_csrf)])
async def submit(request: Request, case_id: str, user: Assessor) -> Response:
    ws, instead = await case_workspace(request, user, case_id)
    if ws is None:
        return instead
    form = await request.form()
    answer = await ws.send(
        "POST", "assessment", f"/cases/{case_id}/draft/submit", None, version_of(form)
    )
    if changed_meanwhile(answer):
        return await conflict(
            request, ws, case_id, back=f"/assessor/cases/{case_id}/assessment/check"
        )
    if not answer.ok:
        message = "; ".join(m for _, m in answer.errors()) or "The assessment cannot be submitted."
        return page(
            request,
            "missing.html",
            answer.status,
            title="The assessment was not submitted",
            message=message[:1].upper() + message[1:],
        )
    version = answer.body["decision"]["version"]
    return see_other(f"/assessor/cases/{case_id}/decisions/{version}")


@router.post("/assessment/discard", dependencies=[Depends(check_csrf)])
async def discard(request: Request, case_id: str, user: Assessor) -> Response:
    ws, instead = await case_workspace(request, user, case_id)
    if ws is None:
        return instead
    form = await request.form()
    answer = await ws.send(
        "DELETE", "assessment", f"/cases/{case_id}/draft", None, version_of(form)
    )
    if changed_meanwhile(answer):
        return await conflict(request, ws, case_id, back=f"/assessor/cases/{case_id}/assessment")
    return see_other(f"/assessor/cases/{case_id}")


@router.get("/decisions/{version}")
async def decision(request: Request, case_id: str, version: int, user: Assessor) -> Response:
    loaded, instead = await _load(request, user, case_id)
    if loaded is None:
        return instead
    found = next((d for d in loaded.case.decisions if d.version == version), None)
    if found is None:
        return page(request, "missing.html", 404, title="No such decision")
    return page(
        request,
        "decision.html",
        title=f"Decision version {version}",
        case=loaded.case,
        decision=found,
        body=found.body,
    )


# Last: the parts' pages, after the fixed paths above (check, submit, discard).


@router.get("/assessment/{slug}")
async def section_form(request: Request, case_id: str, slug: str, user: Assessor) -> Response:
    loaded, section, instead = await _loaded_section(request, user, case_id, slug)
    if loaded is None:
        return instead
    return _section_page(request, loaded, section, _values(loaded, section))


@router.post("/assessment/{slug}", dependencies=[Depends(check_csrf)])
async def save_section(request: Request, case_id: str, slug: str, user: Assessor) -> Response:
    loaded, section, instead = await _loaded_section(request, user, case_id, slug)
    if loaded is None:
        return instead
    form = await request.form()
    problems = Problems()
    parsed = _parse(loaded, section, form, problems)
    if problems:
        return _section_page(request, loaded, section, _as_values(form), problems)
    body = {"value": parsed.value, "note": parsed.note} | parsed.extra
    answer = await loaded.ws.send(
        "PUT", "assessment", f"/cases/{case_id}/draft/sections/{section}", body, version_of(form)
    )
    if changed_meanwhile(answer):
        return await conflict(request, loaded.ws, case_id, back=f"{loaded.base}/{slug}")
    if not answer.ok:
        problems.from_service(answer.errors(), parsed.fields, parsed.fallback)
        return _section_page(request, loaded, section, _as_values(form), problems)
    return see_other(_next(loaded, section))
