"""Payment runs for the operations console: the latest runs, and what the bank said about each
run's payments (kept apart from ops_http.py, which starts runs and takes bank responses)."""

from dataclasses import asdict

from contracts.api.payments import BankResponseTally, PaymentRuns, RunBankResponses
from fastapi import APIRouter, Query

from payments.entrypoints import views
from payments.entrypoints.access import Overseer
from payments.entrypoints.dependencies import Deps
from payments.service_layer import run_history

router = APIRouter(tags=["operations"])


@router.get("/payment-runs", response_model=PaymentRuns)
async def payment_runs(
    deps: Deps, who: Overseer, limit: int = Query(20, ge=1, le=100)
) -> PaymentRuns:
    """The latest runs, newest first, each as GET /payment-runs/{run_id} shows it."""
    runs = await run_history.latest_runs(deps.uow(), limit)  # type: ignore[arg-type]
    return PaymentRuns(runs=[views.payment_run(run) for run in runs])


@router.get("/payment-runs/{run_id}/bank-responses", response_model=RunBankResponses)
async def run_bank_responses(run_id: str, deps: Deps, who: Overseer) -> RunBankResponses:
    tallies = await run_history.bank_responses(run_id, deps.uow())  # type: ignore[arg-type]
    return RunBankResponses(
        run_id=run_id, responses=[BankResponseTally(**asdict(t)) for t in tallies]
    )
