"""Operations endpoints: payment runs, bank files and responses, ledger reconciliation."""

from datetime import date

from contracts.api.payments import (
    BankResponseApplied,
    PaymentRun,
    Reconciliation,
    RemittanceAdvice,
)
from fastapi import APIRouter, Request, Response
from pydantic import BaseModel, ConfigDict
from servicekit.errors import ClientError

from payments.entrypoints import views
from payments.entrypoints.access import BankFileReader, BankResponder, Overseer, RunStarter
from payments.entrypoints.dependencies import Deps
from payments.service_layer import bank_responses, payment_run, queries
from payments.service_layer.commands import ApplyBankResponse, StartPaymentRun

router = APIRouter()
MAX_RESPONSE_FILE_BYTES = 50 * 1024 * 1024


class PaymentRunRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    run_date: date


@router.post("/payment-runs", response_model=PaymentRun)
async def start_payment_run(
    body: PaymentRunRequest, response: Response, deps: Deps, who: RunStarter
) -> PaymentRun:
    """Pays everything due on or before `run_date`; the same request again resumes an
    unfinished run, or (once finished) changes nothing."""
    run = await payment_run.run_payments(StartPaymentRun(body.run_date), deps.payment_runs)
    response.status_code = 201 if run.outcome == "created" else 200
    return views.payment_run(run, run.outcome)


@router.get("/payment-runs/{run_id}", response_model=PaymentRun)
async def get_payment_run(run_id: str, deps: Deps, who: Overseer) -> PaymentRun:
    return views.payment_run(await queries.payment_run(run_id, deps.uow()))


@router.get("/payment-runs/{run_id}/files/{file_id}")
async def bank_file(run_id: str, file_id: str, deps: Deps, who: BankFileReader) -> Response:
    content = await queries.bank_file(run_id, file_id, deps.uow())
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
