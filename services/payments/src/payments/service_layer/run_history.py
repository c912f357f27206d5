"""Reads for the operations console: the latest payment runs, the bank's answers about each
run's payments, and the managed services held for many people. Nothing here changes state."""

from typing import Protocol

from payments.domain.errors import NoSuchRun
from payments.domain.records import PaymentRun
from payments.domain.run_history import BankResponseTally, ManagedServicesHeld
from payments.service_layer.ports import PaymentsUnitOfWork


class RunHistory(Protocol):
    async def latest(self, limit: int) -> list[str]:
        """Run ids, the latest started first."""
        ...

    async def exists(self, run_id: str) -> bool: ...

    async def bank_responses(self, run_id: str) -> list[BankResponseTally]: ...


class ManagedLookup(Protocol):
    async def held(self, person_ids: list[str]) -> list[ManagedServicesHeld]: ...


class RunHistoryUnitOfWork(PaymentsUnitOfWork, Protocol):
    run_history: RunHistory
    managed_lookup: ManagedLookup


async def latest_runs(uow: RunHistoryUnitOfWork, limit: int) -> list[PaymentRun]:
    async with uow:
        runs = [await uow.runs.get(run_id) for run_id in await uow.run_history.latest(limit)]
    return [run for run in runs if run is not None]


async def bank_responses(run_id: str, uow: RunHistoryUnitOfWork) -> list[BankResponseTally]:
    async with uow:
        if not await uow.run_history.exists(run_id):
            raise NoSuchRun()
        return await uow.run_history.bank_responses(run_id)


async def managed_services_held(
    person_ids: list[str], uow: RunHistoryUnitOfWork
) -> list[ManagedServicesHeld]:
    async with uow:
        return await uow.managed_lookup.held(person_ids)
