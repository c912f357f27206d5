"""Operations endpoints: payment runs, bank responses, ledger reconciliation."""

from dataclasses import asdict
from datetime import date

from fastapi import APIRouter, Request, Response
from pydantic import BaseModel, ConfigDict
from servicekit.errors import ClientError, NotFound
from servicekit.service import runtime_of

from payments.adapters import ledger_store, run_store
from payments.service_layer.bank_responses import apply_bank_response
from payments.service_layer.payment_run import run_payments

router = APIRouter()
MAX_RESPONSE_FILE_BYTES = 50 * 1024 * 1024


class PaymentRunRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    run_date: date


@router.post("/payment-runs")
async def start_payment_run(body: PaymentRunRequest, request: Request,
                            response: Response) -> dict:
    """Pays everything due on or before `run_date`; the same request again resumes an
    unfinished run, or (once finished) changes nothing."""
    run = await run_payments(runtime_of(request).pool, body.run_date,
                             request.app.state.run_options)
    response.status_code = 201 if run.outcome == "created" else 200
    return asdict(run)


@router.get("/payment-runs/{run_id}")
async def payment_run(run_id: str, request: Request) -> dict:
    pool = runtime_of(request).pool
    run = await run_store.get_run(pool, run_id)
    if run is None:
        raise NotFound("run_id", "no such payment run")
    files = await run_store.run_files(pool, run_id)
    return {**asdict(run), "files": [dict(f) for f in files]}


@router.get("/payment-runs/{run_id}/files/{file_id}")
async def bank_file(run_id: str, file_id: str, request: Request) -> Response:
    content = await runtime_of(request).pool.fetchval(
        "SELECT content FROM bank_files WHERE run_id = $1 AND file_id = $2", run_id, file_id)
    if content is None:
        raise NotFound("file_id", "no such bank file in this run")
    return Response(content, media_type="application/xml")


@router.post("/bank-responses")
async def bank_responses(request: Request) -> dict:
    """Body: the bank's pain.002 (XML) or CSV file, raw or as the `file` field of a form."""
    body = await _file_body(request)
    return await apply_bank_response(runtime_of(request).pool, body)


@router.get("/ops/reconciliation")
async def reconciliation(request: Request) -> dict:
    """SQL checks that prove the ledger balances and agrees with the schedule (one snapshot)."""
    async with runtime_of(request).pool.acquire() as conn, conn.transaction(
            isolation="repeatable_read", readonly=True):
        return await ledger_store.reconcile(conn)


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
