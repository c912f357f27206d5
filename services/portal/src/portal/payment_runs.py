"""Payments officers' pages: start a payment run, approve another officer's run (four eyes),
and download a released run's bank files. The payments service decides every rule (the run's
date, who may approve, when a file may be downloaded) and audits each download; these pages
show its answer in words, and act once however often a form is sent."""

from datetime import date
from typing import Annotated
from urllib.parse import quote

from contracts.api.payments import PaymentRun, PaymentRuns
from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.responses import RedirectResponse, Response

from portal.access import staff_with
from portal.assessor.forms import Problems, date_from
from portal.assessor.workspace import Workspace
from portal.clients import Answer
from portal.forms import Form, Outcome, new_token
from portal.security import check_csrf
from portal.sessions import SignedIn
from portal.staff_actions import act_once
from portal.web import render

router = APIRouter(prefix="/payment-runs")
Officer = Annotated[SignedIn, Depends(staff_with("payments_officer"))]
REFUSED = {  # what payments refused, by the field its error names, in the officer's words
    "authorization": "You started this run. A different payments officer must approve it.",
    "run_id": "This run cannot be approved now: {message}.",
}


def _run_path(run_id: str) -> str:
    return f"/payment-runs/{quote(run_id, safe='')}"


async def _runs_page(request: Request, user: SignedIn, problems: Problems, values: dict,
                     status: int = 200) -> Response:  # fmt: skip
    runs = await Workspace(request, user).read("payments", "/payment-runs", PaymentRuns)
    return render(
        request, "payment_runs.html", status, title="Payment runs", runs=runs, today=date.today(),
        problems=problems, values=values, submission=new_token(),
    )  # fmt: skip


@router.get("", response_model=None)
async def runs(request: Request, user: Officer) -> Response:
    return await _runs_page(request, user, Problems(), {})


def run_date_from(values: dict[str, str], problems: Problems) -> date | None:
    run_date = date_from(
        values.get("run_date-day", ""), values.get("run_date-month", ""),
        values.get("run_date-year", ""), problems, "run_date-day", "The run date",
    )  # fmt: skip
    if run_date is None and not problems:
        problems.add("run_date-day", "Enter the run date")
    return run_date


@router.post("", response_model=None, dependencies=[Depends(check_csrf)])
async def start(request: Request, user: Officer) -> Response:
    submitted = {k: str(v) for k, v in (await request.form()).items()}
    problems = Problems()

    async def act() -> Outcome:
        run_date = run_date_from(submitted, problems)
        if run_date is None:
            return Outcome()
        answer = await Workspace(request, user).send(
            "POST", "payments", "/payment-runs", {"run_date": run_date.isoformat()}
        )
        if answer.ok:
            return Outcome(_run_path(answer.body["run_id"]))
        problems.from_service(answer.errors(), {}, "run_date-day")
        return Outcome()

    outcome = await request.app.state.submissions.once(user, submitted.get("submission", ""), act)
    if outcome.location:
        return RedirectResponse(outcome.location, status_code=303)
    return await _runs_page(request, user, problems, submitted, 422)


async def _run_page(
    request: Request, user: SignedIn, run_id: str, form: Form | None = None, status: int = 200
) -> Response:
    run = await Workspace(request, user).read("payments", _run_path(run_id), PaymentRun)
    if run is None:
        raise HTTPException(404)
    return render(
        request, "payment_run.html", status, title=f"Payment run of {run.run_date:%d %B %Y}",
        run=run, form=form or Form(), submission=new_token(),
        approved=request.query_params.get("approved") == "1",
    )  # fmt: skip


@router.get("/{run_id}", response_model=None)
async def run(request: Request, user: Officer, run_id: str) -> Response:
    return await _run_page(request, user, run_id)


def refusal(answer: Answer) -> str:
    """Why payments would not approve the run, as the officer is told it."""
    field, message = next(iter(answer.errors()), ("", "payments refused it"))
    return REFUSED.get(field, REFUSED["run_id"]).format(message=message)


@router.post("/{run_id}/approval", response_model=None, dependencies=[Depends(check_csrf)])
async def approve(request: Request, user: Officer, run_id: str) -> Response:
    done = await act_once(
        request, user, "payments", _run_path(run_id) + "/approval",
        done=_run_path(run_id) + "?approved=1", refusal=refusal, anchor="run-summary",
    )  # fmt: skip
    if isinstance(done, Response):
        return done
    return await _run_page(request, user, run_id, done, 409)


@router.get("/{run_id}/files/{file_id}", response_model=None)
async def bank_file(request: Request, user: Officer, run_id: str, file_id: str) -> Response:
    """The pain.001 file as payments gives it (payments audits the download, as this officer)."""
    ws = Workspace(request, user)
    path = f"{_run_path(run_id)}/files/{quote(file_id, safe='')}"
    download = await ws.clients.download("payments", path, await ws.token("payments"))
    if download is None:
        raise HTTPException(404)
    if download.status == 409:
        return await _run_page(request, user, run_id, _not_released(), 409)
    if download.status >= 400:
        raise HTTPException(download.status)
    return Response(
        download.content,
        media_type="application/xml",
        headers={"Content-Disposition": f'attachment; filename="{file_id}.xml"'},
    )


def _not_released() -> Form:
    form = Form()
    form.error(
        "approve",
        "The bank files cannot be downloaded until the run is approved.",
        anchor="run-summary",
    )
    return form
