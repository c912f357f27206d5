"""Operations endpoints: payment runs, bank files and responses, ledger reconciliation."""

from dataclasses import replace
from datetime import date

from contracts.api.payments import (
    BankResponseApplied,
    PaymentRun,
    Reconciliation,
    RemittanceAdvice,
)
from fastapi import APIRouter, Request, Response
from pydantic import BaseModel, ConfigDict
from servicekit.access import entries_for
from servicekit.context import current_access
from servicekit.errors import ClientError

from payments.entrypoints import views
from payments.entrypoints.access import (
    BankFileReader,
    BankResponder,
    Overseer,
    RunApprover,
    RunStarter,
)
from payments.entrypoints.dependencies import Deps
from payments.service_layer import bank_responses, payment_run, queries, run_approval
from payments.service_layer.commands import (
    ApplyBankResponse,
    ApprovePaymentRun,
    StartPaymentRun,
)

router = APIRouter()
MAX_RESPONSE_FILE_BYTES = 50 * 1024 * 1024


class PaymentRunRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    run_date: date


@router.post("/payment-runs", response_model=PaymentRun)
async def start_payment_run(
    body: PaymentRunRequest, response: Response, deps: Deps, who: RunStarter
) -> PaymentRun:
    """Pays everything due on or before `run_date` (at most PAYMENTS_RUN_MAX_DAYS_AHEAD days
    ahead); the same request again resumes an unfinished run, or (once finished) changes nothing.
    Its bank files wait for a second payments officer's approval."""
    command = StartPaymentRun(body.run_date, who.subject)
    run = await payment_run.run_payments(command, deps.payment_runs)
    response.status_code = 201 if run.outcome == "created" else 200
    return views.payment_run(run, run.outcome)


@router.get("/payment-runs/{run_id}", response_model=PaymentRun)
async def get_payment_run(run_id: str, deps: Deps, who: Overseer) -> PaymentRun:
    return views.payment_run(await queries.payment_run(run_id, deps.uow()))


@router.post("/payment-runs/{run_id}/approval", response_model=PaymentRun)
async def approve_payment_run(run_id: str, deps: Deps, who: RunApprover) -> PaymentRun:
    """Four eyes: a payments officer other than the one who started the finished run releases
    its bank files (the same officer again: nothing changes, the files are sent again)."""
    command = ApprovePaymentRun(run_id, who.subject)
    return views.payment_run(await run_approval.approve_run(command, deps.uow(), deps.bank_files))


@router.get("/payment-runs/{run_id}/files/{file_id}")
async def bank_file(
    run_id: str, file_id: str, request: Request, deps: Deps, who: BankFileReader
) -> Response:
    """A released run's pain.001 file; each download is on the audit trail before it goes."""
    content = await run_approval.released_bank_file(run_id, file_id, deps.uow())
    await _audit_download(request, f"GET /payment-runs/{run_id}/files/{file_id}")
    return Response(content, media_type="application/xml")


@router.get(
    "/payment-runs/{run_id}/provider-payments/{provider_id}", response_model=RemittanceAdvice
)
async def remittance_advice(
    run_id: str, provider_id: str, deps: Deps, who: Overseer
) -> RemittanceAdvice:
    """The run's one payment to the provider and its remittance advice, person by person."""
    advice = await queries.remittance_advice(run_id, provider_id, deps.uow())
    return views.remittance_advice(advice)


@router.post("/bank-responses", response_model=BankResponseApplied)
async def apply_bank_response(
    request: Request, deps: Deps, who: BankResponder
) -> BankResponseApplied:
    """Body: the bank's pain.002 (XML) or CSV file, raw or as the `file` field of a form."""
    command = ApplyBankResponse(await _file_body(request))
    summary = await bank_responses.apply_bank_response(command, deps.uow(), deps.bank_files)
    return views.bank_response_applied(summary)


@router.get("/ops/reconciliation", response_model=Reconciliation)
async def reconciliation(deps: Deps, who: Overseer) -> Reconciliation:
    """Checks that prove the ledger balances and agrees with the schedule (one snapshot)."""
    return views.reconciliation(await queries.reconciliation(deps.uow()))


async def _audit_download(request: Request, resource: str) -> None:
    """A bank file names no one person (it holds many), so the edge would record nothing: the
    download is recorded here, naming the file (no trail, no file: the error is a 503)."""
    access = current_access()
    if access is None:
        return
    entries = [replace(e, resource=resource) for e in entries_for(access, [None], "download")]
    await request.app.state.audit_writer.record(entries)


async def _file_body(request: Request) -> bytes:
    if request.headers.get("content-type", "").startswith("multipart/form-data"):
        form = await request.form()
        upload = form.get("file")
        if upload is None or isinstance(upload, str):
            raise ClientError("file", "attach the bank's response file as the field 'file'", 422)
        body = await upload.read()
    else:
        body = await request.body()
    if not body.strip():
        raise ClientError("file", "the bank response file is empty", 422)
    if len(body) > MAX_RESPONSE_FILE_BYTES:
        raise ClientError("file", "the bank response file is larger than 50 MB", 413)
    return body
