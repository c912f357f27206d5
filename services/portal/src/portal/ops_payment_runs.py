"""Payment runs for national operations: each run's status, totals, files, approvals (when
payments records them), the bank's answers (rejections and returns), held payments with their
reasons, and the ledger reconciliation, from payments' own API with the operator's token."""

import asyncio
from typing import Annotated, Any
from urllib.parse import quote

from contracts.api.operations import StuckCasesView
from contracts.api.payments import PaymentRun, PaymentRuns, Reconciliation, RunBankResponses
from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.responses import Response

from portal.access import staff_with
from portal.clients import ServiceUnavailable
from portal.sessions import SignedIn
from portal.web import render

router = APIRouter()
Operator = Annotated[SignedIn, Depends(staff_with("operations"))]
APPROVALS = ("started_by", "approved_by", "approved_at")
"""A run's four-eyes fields, shown when payments' read model has them."""


async def _payments(request: Request, user: SignedIn, *reads: tuple[Any, ...]) -> list[Any]:
    """Each read's view, or the ServiceUnavailable it met (the page says what is missing)."""
    clients, tokens = request.app.state.clients, request.app.state.service_tokens
    token = await tokens.for_user(user, "payments")
    answers = await asyncio.gather(
        *(
            clients.read("payments", p, model, token=token, **(q[0] if q else {}))
            for p, model, *q in reads
        ),
        return_exceptions=True,
    )
    for answer in answers:
        if isinstance(answer, BaseException) and not isinstance(answer, ServiceUnavailable):
            raise answer
    return answers


def _held(view: StuckCasesView | BaseException | None) -> Any:
    if view is None or isinstance(view, BaseException):
        return None
    return next((s for s in view.lists if s.name == "held"), None)


def approvals(run: PaymentRun) -> list[tuple[str, Any]]:
    return [(name.replace("_", " "), getattr(run, name)) for name in APPROVALS if name in
            type(run).model_fields]  # fmt: skip


@router.get("/ops/payment-runs", response_model=None)
async def payment_runs(request: Request, user: Operator) -> Response:
    runs, reconciliation, held = await _payments(
        request, user, ("/payment-runs", PaymentRuns), ("/ops/reconciliation", Reconciliation),
        ("/ops/stuck", StuckCasesView, {"held": 0}),
    )  # fmt: skip
    down = any(isinstance(a, BaseException) for a in (runs, reconciliation, held))
    return render(
        request, "ops_payment_runs.html", title="Payment runs", down=down,
        runs=None if isinstance(runs, BaseException) else runs,
        reconciliation=None if isinstance(reconciliation, BaseException) else reconciliation,
        held=_held(held), approvals=approvals,
    )  # fmt: skip


@router.get("/ops/payment-runs/{run_id}", response_model=None)
async def payment_run(request: Request, user: Operator, run_id: str) -> Response:
    path = f"/payment-runs/{quote(run_id, safe='')}"
    run, responses = await _payments(
        request, user, (path, PaymentRun), (f"{path}/bank-responses", RunBankResponses),
    )  # fmt: skip
    if isinstance(run, ServiceUnavailable):
        raise run
    if run is None:
        raise HTTPException(404)
    return render(
        request, "ops_payment_run.html", title=f"Payment run {run.run_date}", run=run,
        responses=None if isinstance(responses, BaseException) else responses,
        responses_down=isinstance(responses, BaseException), approvals=approvals(run),
    )  # fmt: skip
