"""Payment runs: every scheduled payment due on or before the run date, paid in batches.

Each batch is ONE unit of work: claim up to `batch_size` due payments (locked, skipping those the
other worker holds), post their journals, mark them, store the batch's pain.001 file, and its
events go to the outbox on commit. A crash loses at most the batch in flight, which rolls back
whole; resuming (the same request again) carries on with what is still due. A payment leaves
'scheduled' exactly once per attempt, and its journals have deterministic ids under a unique
key, so nobody is paid twice however often a run is repeated or resumed. After the batches,
each provider is paid once for the managed care of everyone the run paid
(service_layer/provider_runs.py). A run is dated at most `max_days_ahead` days ahead, and its
bank files go to the bank only once a second payments officer approves it
(service_layer/run_approval.py).
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from payments.domain.batch import plan_batch
from payments.domain.errors import UnfinishedRun
from payments.domain.planning import PlanningData
from payments.domain.providers import ProviderPayees
from payments.domain.records import PaymentRun
from payments.domain.run_approval import check_run_date
from payments.service_layer.commands import StartPaymentRun
from payments.service_layer.ports import (
    AfterBatch,
    BankFiles,
    MakeUnitOfWork,
    PaymentsUnitOfWork,
    ProviderPayeeStore,
    RunLock,
)
from payments.service_layer.provider_runs import LINE_BUDGET, pay_providers
from payments.service_layer.roll_forward import roll_forward
from payments.service_layer.side_by_side import side_by_side


@dataclass(frozen=True)
class PaymentRuns:
    """What a payment run needs."""

    uow: MakeUnitOfWork
    lock: RunLock
    bank_files: BankFiles
    planning: PlanningData
    payees: ProviderPayeeStore
    """Providers' bank details, read at the start of each run."""
    batch_size: int = 2_000
    workers: int = 2
    """Batches worked on side by side: one plans in Python while another's statements run."""
    after_batch: AfterBatch | None = None
    """Called after each committed batch (throttling; tests inject a crash here)."""
    today: Callable[[], date] = date.today
    max_days_ahead: int = 7
    """A new run is dated at most this many days after today."""
    provider_file_lines: int = LINE_BUDGET
    """Remittance lines in one providers' bank file (domain/provider_files.py)."""


async def run_payments(cmd: StartPaymentRun, runs: PaymentRuns) -> PaymentRun:
    """Pays everything due on or before the run date; the same command again resumes an
    unfinished run, or (once finished) changes nothing. One run at a time."""
    async with runs.lock():
        payees = await runs.payees.load()  # first: without them nothing is started
        run = await _open(cmd, runs)
        if run.outcome == "already_completed":
            return await _with_files(run, runs.uow())
        await roll_forward(cmd.run_date, runs.uow, runs.planning, runs.batch_size, runs.workers)
        await _release_cooled_off(cmd.run_date, runs.uow())

        async def worker() -> None:
            while number := await pay_batch(run, runs, payees):
                if runs.after_batch is not None:
                    await runs.after_batch(number)

        await side_by_side(worker, runs.workers)
        await pay_providers(run, runs.uow, runs.bank_files, payees, runs.provider_file_lines)
        return await _complete(run, runs)


async def pay_batch(run: PaymentRun, runs: PaymentRuns, payees: ProviderPayees) -> int | None:
    """One batch of what is still due; its number (None once nothing is left)."""
    async with runs.uow() as uow:
        due = await uow.runs.claim_due(run.run_date, runs.batch_size)
        if not due:
            return None
        recovering = list({d.person_id for d in due if d.recovery_pence})
        overpayments = await uow.runs.open_overpayments(recovering) if recovering else []
        owing = await uow.runs.open_contributions(list({d.person_id for d in due if d.first_send}))
        batch = plan_batch(due, run, overpayments, payees, owing, runs.planning.invoice_terms)
        await uow.runs.post_batch(batch)
        batch.number = await uow.runs.number_batch(batch)
        file_id = batch.file_id
        bank_file = runs.bank_files.pain001(file_id, batch.instructions) if file_id else None
        await uow.runs.save_batch(batch, bank_file)
        await uow.commit()
    run.batches = max(run.batches, batch.number)
    run.instructed += len(batch.instructions)
    run.held, run.nil = run.held + batch.held, run.nil + batch.nil
    run.total_pence += batch.total_pence
    return batch.number


async def _open(cmd: StartPaymentRun, runs: PaymentRuns) -> PaymentRun:
    async with runs.uow() as uow:
        unfinished = await uow.runs.unfinished()
        if unfinished is not None and unfinished.run_date != cmd.run_date:
            raise UnfinishedRun(
                f"payment run {unfinished.run_id} for {unfinished.run_date} did not finish; "
                f"resume it first (POST /payment-runs with run_date {unfinished.run_date})"
            )
        if unfinished is not None:
            unfinished.outcome = "resumed"
            return unfinished
        completed = await uow.runs.completed(cmd.run_date)
        if completed is not None and not await uow.runs.anything_due(cmd.run_date):
            completed.outcome = "already_completed"  # the same run again: nothing to do
            return completed
        check_run_date(cmd.run_date, runs.today(), runs.max_days_ahead)
        run = await uow.runs.create(cmd.run_date, cmd.started_by)
        await uow.commit()
    return run


async def _release_cooled_off(run_date: date, uow: PaymentsUnitOfWork) -> None:
    """Payments that waited for new bank details' cooling-off, due again once it is over."""
    async with uow:
        await uow.bank_accounts.release_cooled_off(run_date)
        await uow.commit()


async def _complete(run: PaymentRun, runs: PaymentRuns) -> PaymentRun:
    """Its files wait for the second officer's approval before they go to the bank."""
    async with runs.uow() as uow:
        done = await uow.runs.complete(run.run_id)
        await uow.commit()
    done.outcome = run.outcome
    return await _with_files(done, runs.uow())


async def _with_files(run: PaymentRun, uow: PaymentsUnitOfWork) -> PaymentRun:
    async with uow:
        run.files = await uow.runs.files(run.run_id)
        run.provider_payment_list = await uow.runs.provider_payments(run.run_id)
    return run
