"""Benchmark (not a test): seed N people with due payments into a real PostgreSQL, then time the
schedule roll-forward, the payment run and the reconciliation, with peak memory.

    uv run python -m devstack.payments_bench --people 100000    (or: make bench-payments N=100000)

Uses $DATABASE_URL's server (a fresh database on it) or else starts a throwaway durable stack
with devstack (fsync on). Each person: one award, bank details, four monthly periods (the first
due); 20% aligned to a UC claim, 5% recovering an overpayment.
"""

import argparse
import asyncio
import os
import threading
import time
import tracemalloc
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import date
from urllib.parse import urlsplit, urlunsplit

import asyncpg
import psutil
from payments.config import PaymentsSettings
from payments.main import MIGRATIONS, dependencies, load_planning_data
from payments.service_layer.commands import StartPaymentRun
from payments.service_layer.payment_run import run_payments
from payments.service_layer.queries import reconciliation
from payments.service_layer.roll_forward import roll_forward
from servicekit import db
from servicekit.crypto import Keyset

from devstack.payments_bench_seed import seed
from devstack.stack import running_infra

RUN_DATE = date(2025, 6, 16)


class PeakRss:
    """Samples this process's resident memory every 50 ms (covers C allocations too)."""

    def __init__(self) -> None:
        self.peak, self._stop = 0, threading.Event()
        self._process = psutil.Process()

    def __enter__(self) -> "PeakRss":
        self.peak = self._process.memory_info().rss
        threading.Thread(target=self._sample, daemon=True).start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()

    def _sample(self) -> None:
        while not self._stop.wait(0.05):
            self.peak = max(self.peak, self._process.memory_info().rss)


@asynccontextmanager
async def database(url: str | None) -> AsyncIterator[str]:
    name = f"bench_{uuid.uuid4().hex[:8]}"
    if url:
        admin = await asyncpg.connect(url)
        await admin.execute(f'CREATE DATABASE "{name}"')
        await admin.close()
        yield urlunsplit(urlsplit(url)._replace(path=f"/{name}"))
        return
    async with running_infra(fast=False, databases=[name]) as infra:
        yield infra.database_url(name)


async def bench(
    people: int, batch_size: int, url: str | None, trace: bool, managed_share: int = 0
) -> None:
    async with database(url) as dsn:
        pool = await db.create_pool(dsn, 2, 4)
        await db.migrate(pool, MIGRATIONS)
        started = time.perf_counter()
        keys = Keyset.generate().settings()
        settings = PaymentsSettings(
            database_url=dsn, run_batch_size=batch_size, environment="development", **keys
        )
        sealer = settings.sealer()
        await seed(dsn, people, RUN_DATE, sealer, managed_share)
        print(f"seeded {people:,} people in {time.perf_counter() - started:.1f} s")
        await pool.execute("VACUUM ANALYZE")
        deps = dependencies(settings, pool, load_planning_data(), lambda: RUN_DATE, sealer)
        if trace:
            tracemalloc.start()
        with PeakRss() as rss:
            started, cpu = time.perf_counter(), time.process_time()
            extended = await roll_forward(RUN_DATE, deps.uow, deps.planning, batch_size)
            rolled, rolled_cpu = time.perf_counter() - started, time.process_time() - cpu
            started, cpu = time.perf_counter(), time.process_time()
            run = await run_payments(StartPaymentRun(RUN_DATE), deps.payment_runs)
            paid, paid_cpu = time.perf_counter() - started, time.process_time() - cpu
        traced = tracemalloc.get_traced_memory()[1] if trace else None
        started = time.perf_counter()
        report = await reconciliation(deps.uow())
        checked = time.perf_counter() - started
        counts = await pool.fetchrow(
            "SELECT (SELECT count(*) FROM ledger_postings) AS postings,"
            " (SELECT count(*) FROM outbox) AS events, (SELECT count(*) FROM bank_files) AS files"
        )
        await pool.close()
    print(
        f"roll-forward: {extended:,} periods planned in {rolled:.1f} s "
        f"({people / rolled:,.0f} people/s; this process's CPU {rolled_cpu:.1f} s)"
    )
    print(
        f"payment run {run.run_id}: {run.instructed:,} paid in {run.batches} batches of "
        f"{batch_size}, £{run.total_pence / 100:,.2f}, in {paid:.1f} s "
        f"({run.instructed / paid:,.0f} people/s; this process's CPU {paid_cpu:.1f} s)"
    )
    print(
        f"  wrote {counts['postings']:,} ledger postings, {counts['events']:,} outbox events, "
        f"{counts['files']} pain.001 files"
    )
    if managed_share:
        print(
            f"  managed care for {managed_share}% of people: {run.provider_payments} provider "
            f"payments, £{run.provider_total_pence / 100:,.2f}"
        )
    print(f"reconciliation: balanced={report.balanced} in {checked:.1f} s")
    for check in report.checks:
        if not check.ok:
            print(f"  FAILED {check.check}: {list(check.violations[:3])}")
    print(
        f"peak RSS during roll-forward + run: {rss.peak / 2**20:,.0f} MiB"
        + (f"; tracemalloc peak {traced / 2**20:,.0f} MiB" if traced else "")
    )


def main() -> None:
    parser = argparse.ArgumentParser(
        prog="python -m devstack.payments_bench",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--people", type=int, default=100_000)
    parser.add_argument("--batch-size", type=int, default=2_000)
    parser.add_argument(
        "--database-url",
        default=os.environ.get("DATABASE_URL"),
        help="a server to create the benchmark database on",
    )
    parser.add_argument(
        "--managed-share",
        type=int,
        default=0,
        choices=range(0, 101),
        metavar="PERCENT",
        help="people (in a hundred) with managed care paid to providers (default 0)",
    )
    parser.add_argument(
        "--tracemalloc",
        action="store_true",
        help="also report Python's own peak allocations (slows the run)",
    )
    args = parser.parse_args()
    asyncio.run(
        bench(args.people, args.batch_size, args.database_url, args.tracemalloc, args.managed_share)
    )


if __name__ == "__main__":
    main()
