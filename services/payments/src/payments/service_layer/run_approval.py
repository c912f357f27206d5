"""Four eyes: a second payments officer approves a finished run, which releases its bank files
(written for the bank when the service exports them; downloadable from then on)."""

from payments.domain.errors import AlreadyApproved, NoSuchBankFile, NoSuchRun, NotReleased
from payments.domain.records import PaymentRun
from payments.domain.run_approval import check_approval
from payments.service_layer.commands import ApprovePaymentRun
from payments.service_layer.ports import BankFiles, PaymentsUnitOfWork


async def approve_run(
    cmd: ApprovePaymentRun, uow: PaymentsUnitOfWork, bank_files: BankFiles
) -> PaymentRun:
    """The same officer's approval again changes nothing, but sends the files again (an export
    that failed after the approval committed is retried so)."""
    async with uow:
        run = await uow.runs.get(cmd.run_id)
        if run is None:
            raise NoSuchRun()
        if check_approval(run, cmd.approved_by):
            if not await uow.runs.approve(cmd.run_id, cmd.approved_by):
                raise AlreadyApproved(f"payment run {cmd.run_id} was approved already")
            run = await uow.runs.get(cmd.run_id) or run
        files = await uow.runs.file_contents(cmd.run_id) if bank_files.exports else []
        await uow.commit()
    if files:
        await bank_files.export(files)
    return run


async def released_bank_file(run_id: str, file_id: str, uow: PaymentsUnitOfWork) -> bytes:
    async with uow:
        run = await uow.runs.get(run_id)
        if run is None:
            raise NoSuchRun()
        if not run.released:
            raise NotReleased(run_id)
        content = await uow.runs.bank_file(run_id, file_id)
    if content is None:
        raise NoSuchBankFile()
    return content
