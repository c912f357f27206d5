"""The last step of a payment run: one credit transfer per provider for the managed care of
everyone the run paid (and earlier provider payments to retry, or released from a hold), in one
unit of work, in pain.001 files of at most ``line_budget`` remittance lines each
(domain/provider_files.py). Each file's lines are loaded, written, validated and sealed before
the next, so a run holds one file's lines and bytes at a time. Resuming a run that stopped
before this step, or after it, pays each provider once and makes no file twice: the payments'
ids are per run and provider, only lines with no payment yet make new ones, and the files are
stored in the same transaction as the payments."""

from dataclasses import replace

from payments.domain.provider_files import file_parts
from payments.domain.provider_payments import ProviderBatch, plan_provider_payments
from payments.domain.providers import ProviderPayees
from payments.domain.records import PaymentRun
from payments.service_layer.ports import BankFiles, MakeUnitOfWork, PaymentsUnitOfWork

LINE_BUDGET = 500_000
"""Remittance lines in one providers' file (PAYMENTS_PROVIDER_FILE_LINES)."""


async def pay_providers(
    run: PaymentRun,
    make_uow: MakeUnitOfWork,
    bank_files: BankFiles,
    payees: ProviderPayees,
    line_budget: int = LINE_BUDGET,
) -> int:
    """Provider payments sent."""
    async with make_uow() as uow:
        due = await uow.runs.provider_payments_due(run.run_id)
        batch = plan_provider_payments(run, due, payees)
        if not batch.updates:
            return 0
        for part in file_parts(batch, line_budget):
            await _store_part(part, uow, bank_files)
        await uow.commit()
    return len(batch.instructions)


async def _store_part(part: ProviderBatch, uow: PaymentsUnitOfWork, bank_files: BankFiles) -> None:
    part.number = await uow.runs.number_provider_batch(part)
    file_id = part.file_id
    if file_id is None:  # only payments held
        await uow.runs.save_provider_batch(part, None)
        return
    lines = await uow.runs.remittance_lines([i.id for i in part.instructions])
    part.instructions = [replace(i, remittance=lines[i.id]) for i in part.instructions]
    await uow.runs.save_provider_batch(part, bank_files.pain001(file_id, part.instructions))
