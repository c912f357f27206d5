"""Reads for the operations console: the latest payment runs, what the bank said about each
run's payments, and the managed services held for many people (kept apart from ops_http.py,
which starts runs and takes bank responses)."""

from dataclasses import asdict

from contracts.api.payments import (
    BankResponseTally,
    ManagedServicesHeld,
    ManagedServicesLookup,
    PaymentRuns,
    RunBankResponses,
)
from fastapi import APIRouter, Query
from pydantic import BaseModel, ConfigDict, Field

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
    runs = await run_history.latest_runs(deps.uow(), limit)
    return PaymentRuns(runs=[views.payment_run(run) for run in runs])


@router.get("/payment-runs/{run_id}/bank-responses", response_model=RunBankResponses)
async def run_bank_responses(run_id: str, deps: Deps, who: Overseer) -> RunBankResponses:
    tallies = await run_history.bank_responses(run_id, deps.uow())
    return RunBankResponses(
        run_id=run_id, responses=[BankResponseTally(**asdict(t)) for t in tallies]
    )


class LookupRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    person_ids: list[str] = Field(max_length=2000)


@router.post("/ops/managed-services/lookup", response_model=ManagedServicesLookup)
async def managed_services_lookup(
    body: LookupRequest, deps: Deps, who: Overseer
) -> ManagedServicesLookup:
    """A read (POST for the length of the list): what payments holds for each person asked."""
    held = await run_history.managed_services_held(body.person_ids, deps.uow())
    return ManagedServicesLookup(held=[ManagedServicesHeld(**asdict(h)) for h in held])
