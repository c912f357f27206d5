"""The last step of a payment run: one credit transfer per provider for the managed care of
everyone the run paid (and earlier provider payments to retry, or released from a hold), in one
unit of work with its own pain.001 file. Resuming a run that stopped before it, or after it,
pays each provider once: the payments' ids are per run and provider, and only lines with no
payment yet make new ones."""

from payments.domain.provider_payments import plan_provider_payments
from payments.domain.providers import ProviderPayees
from payments.domain.records import PaymentRun
from payments.service_layer.ports import BankFiles, MakeUnitOfWork


async def pay_providers(
    run: PaymentRun, make_uow: MakeUnitOfWork, bank_files: BankFiles, payees: ProviderPayees
) -> int:
    """Provider payments sent."""
    async with make_uow() as uow:
        due = await uow.runs.provider_payments_due(run.run_id)
        batch = plan_provider_payments(run, due, payees)
        if not batch.updates:
            return 0
        batch.number = await uow.runs.number_provider_batch(batch)
        file_id = batch.file_id
        bank_file = bank_files.pain001(file_id, batch.instructions) if file_id else None
        await uow.runs.save_provider_batch(batch, bank_file)
        await uow.commit()
    return len(batch.instructions)
