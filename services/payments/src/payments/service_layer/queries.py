"""What the read API asks for, through the unit of work's repositories."""

from payments.domain.errors import (
    NoAward,
    NoSuchProviderPayment,
    NoSuchRun,
    NoUcClaim,
)
from payments.domain.records import (
    LedgerPosting,
    PaymentRun,
    PaymentsOfPerson,
    Reconciliation,
    RemittanceAdvice,
    UcClaim,
)
from payments.domain.uc_means import UcAssessedMeans
from payments.service_layer.ports import PaymentsUnitOfWork


async def payments_of(person_id: str, uow: PaymentsUnitOfWork) -> PaymentsOfPerson:
    async with uow:
        found = await uow.awards.payments_of(person_id)
    if found is None:
        raise NoAward()
    return found


async def uc_claim_of(
    person_id: str, uow: PaymentsUnitOfWork
) -> tuple[UcClaim, list[UcAssessedMeans]]:
    """The person's UC claim as the benefits system told us, with each period it assessed."""
    async with uow:
        claim = await uow.uc_claims.get(person_id)
        if claim is None:
            raise NoUcClaim()
        return claim, await uow.uc_claims.periods(person_id, claim.uc_claim_id)


async def ledger_of(person_id: str, uow: PaymentsUnitOfWork) -> list[LedgerPosting]:
    async with uow:
        return await uow.ledger.postings(person_id)


async def payment_run(run_id: str, uow: PaymentsUnitOfWork) -> PaymentRun:
    async with uow:
        run = await uow.runs.get(run_id)
    if run is None:
        raise NoSuchRun()
    return run


async def remittance_advice(
    run_id: str, provider_id: str, uow: PaymentsUnitOfWork
) -> RemittanceAdvice:
    async with uow:
        advice = await uow.runs.remittance(run_id, provider_id)
    if advice is None:
        raise NoSuchProviderPayment()
    return advice


async def reconciliation(uow: PaymentsUnitOfWork) -> Reconciliation:
    """The ledger proofs, all on one snapshot."""
    async with uow:
        return await uow.ledger.reconcile()
