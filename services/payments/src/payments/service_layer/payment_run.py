"""Payment runs: every scheduled payment due on or before the run date, paid in batches.

Each batch is ONE transaction: claim up to `batch_size` due payments (FOR UPDATE SKIP LOCKED),
post their journals (COPY), mark them, store the batch's pain.001 file, write their events to
the outbox. A crash loses at most the batch in flight, which rolls back whole; resuming (the
same POST again) carries on with what is still due. A payment leaves 'scheduled' exactly once
per attempt, and its journals have deterministic ids under a unique key, so nobody is paid
twice however often a run is repeated or resumed.
"""

import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

import asyncpg
from servicekit.context import caused_by, correlation_id
from servicekit.errors import Conflict

from payments.adapters import ledger_store, outbound, run_store
from payments.adapters.run_store import Run
from payments.bankfile.pain001 import DebtorAccount, build_pain001
from payments.domain.working_days import WorkingDayCalendar
from payments.service_layer.roll_forward import roll_forward
from payments.service_layer.run_batch import plan_batch
from payments.service_layer.side_by_side import side_by_side

log = logging.getLogger(__name__)
AfterBatch = Callable[[int], Awaitable[None]]


@dataclass(frozen=True)
class RunOptions:
    debtor: DebtorAccount
    calendar: WorkingDayCalendar
    batch_size: int = 2_000
    workers: int = 2
    bank_file_dir: Path | None = None
    after_batch: AfterBatch | None = None
    """Called after each committed batch (tests inject a crash here)."""


async def run_payments(pool: asyncpg.Pool, run_date: date, options: RunOptions) -> Run:
    async with pool.acquire() as lock:
        if not await lock.fetchval("SELECT pg_try_advisory_lock($1)", run_store.RUN_LOCK_KEY):
            raise Conflict("run_date", "another payment run is in progress; try again later")
        try:
            return await _run_locked(pool, run_date, options)
        finally:
            await lock.execute("SELECT pg_advisory_unlock($1)", run_store.RUN_LOCK_KEY)


async def _run_locked(pool: asyncpg.Pool, run_date: date, options: RunOptions) -> Run:
    async with pool.acquire() as conn, conn.transaction():
        unfinished, completed = await run_store.open_run(conn, run_date)
        if unfinished is not None and unfinished.run_date != run_date:
            raise Conflict("run_date", (
                f"payment run {unfinished.run_id} for {unfinished.run_date} did not finish; "
                f"resume it first (POST /payment-runs with run_date {unfinished.run_date})"))
        if unfinished is None and completed is not None and not await run_store.anything_due(
                conn, run_date):
            completed.outcome = "already_completed"  # the same run again: nothing to do
            return await _with_files(pool, completed)
        run = unfinished or await run_store.create_run(conn, run_date)
    if unfinished is not None:
        run.outcome = "resumed"
    await roll_forward(pool, run_date, options.calendar, options.batch_size, options.workers)
    with caused_by(run.run_id, correlation_id()):  # every event of the run: caused by it
        await side_by_side(lambda: _batches(pool, run, options), options.workers)
    async with pool.acquire() as conn:
        done = await run_store.complete_run(conn, run.run_id)
    done.outcome = run.outcome
    if options.bank_file_dir is not None:
        await export_files(pool, run.run_id, options.bank_file_dir)
    return await _with_files(pool, done)


async def _batches(pool: asyncpg.Pool, run: Run, options: RunOptions) -> None:
    """One worker: batches until nothing is left. Workers run side by side (SKIP LOCKED keeps
    them apart), so one plans in Python while another's statements run in PostgreSQL."""
    while batch_no := await _one_batch(pool, run, options):
        if options.after_batch is not None:
            await options.after_batch(batch_no)


async def _one_batch(pool: asyncpg.Pool, run: Run, options: RunOptions) -> int | None:
    async with pool.acquire() as conn, conn.transaction():
        rows = await run_store.claim_due(conn, run.run_date, options.batch_size)
        if not rows:
            return None
        recovering = list({r["person_id"] for r in rows if r["recovery_pence"]})
        overpayments = await run_store.open_overpayments(conn, recovering) if recovering else []
        with outbound.one_stamp_for_many_events():
            plan = plan_batch(rows, run, overpayments)
        await ledger_store.post(conn, plan.journals)
        if plan.recovered:
            await run_store.recover(conn, plan.recovered)
        await outbound.write_events(conn, plan.events)
        # Last: numbering the batch locks the run's row until this transaction commits.
        batch_no = await run_store.count_batch(conn, run.run_id, len(plan.instructions),
                                               plan.held, plan.nil, plan.total_pence)
        file_id = f"{run.run_id}-B{batch_no:05d}" if plan.instructions else None
        await run_store.apply_updates(conn, run.run_id, file_id, plan.updates)
        if file_id is not None:
            content = build_pain001(file_id, plan.instructions, options.debtor, datetime.now(UTC))
            await run_store.add_bank_file(conn, file_id, run.run_id, batch_no,
                                          len(plan.instructions), plan.total_pence, content)
    run.batches = max(run.batches, batch_no)
    run.instructed += len(plan.instructions)
    run.held, run.nil = run.held + plan.held, run.nil + plan.nil
    run.total_pence += plan.total_pence
    return batch_no


async def export_files(pool: asyncpg.Pool, run_id: str, directory: Path) -> list[Path]:
    """Writes the run's pain.001 files (idempotent: rewriting a file writes the same bytes)."""
    written = []
    for f in await run_store.run_files(pool, run_id, with_content=True):
        path = directory / f"{f['file_id']}.xml"
        await asyncio.to_thread(_write, path, f["content"])
        written.append(path)
    return written


def _write(path: Path, content: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_suffix(".part")
    temporary.write_bytes(content)
    temporary.replace(path)


async def _with_files(pool: asyncpg.Pool, run: Run) -> Run:
    run.files = [f["file_id"] for f in await run_store.run_files(pool, run.run_id)]
    return run
