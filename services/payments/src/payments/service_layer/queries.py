"""What the read API asks for, through the unit of work's repositories."""

from payments.domain.errors import NoAward, NoSuchBankFile, NoSuchRun
from payments.domain.records import LedgerPosting, PaymentRun, PaymentsOfPerson, Reconciliation
from payments.service_layer.ports import PaymentsUnitOfWork


async def payments_of(person_id: str, uow: PaymentsUnitOfWork) -> PaymentsOfPerson:
    async with uow:
        found = await uow.awards.payments_of(person_id)
    if found is None:
        raise NoAward()
    return found


async def ledger_of(person_id: str, uow: PaymentsUnitOfWork) -> list[LedgerPosting]:
    async with uow:
        return await uow.ledger.postings(person_id)


async def payment_run(run_id: str, uow: PaymentsUnitOfWork) -> PaymentRun:
    async with uow:
        run = await uow.runs.get(run_id)
    if run is None:
        raise NoSuchRun()
    return run


async def bank_file(run_id: str, file_id: str, uow: PaymentsUnitOfWork) -> bytes:
    async with uow:
        content = await uow.runs.bank_file(run_id, file_id)
    if content is None:
        raise NoSuchBankFile()
    return content


async def reconciliation(uow: PaymentsUnitOfWork) -> Reconciliation:
    """The ledger proofs, all on one snapshot."""
    async with uow:
        return await uow.ledger.reconcile()
