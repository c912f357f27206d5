"""`python -m devstack.audit_bench`: what the audit trail adds, on a throwaway PostgreSQL
(fsync on).

Times a change committed through the kit's unit of work without and with a request's access
context (one audit row in the same transaction), and a read's own audit write (AuditWriter)
one at a time and with many reads at once (they share transactions). Prints figures; asserts
nothing. Not a test.
"""

import argparse
import asyncio
import statistics
import tempfile
import time
import uuid
from collections.abc import Awaitable, Callable
from pathlib import Path

from contracts.assessment.v1 import AssessmentSubmitted, AssessmentSubmittedV1
from servicekit import audit, db
from servicekit.audit import AuditEntry, AuditWriter
from servicekit.auth import Principal
from servicekit.context import AccessContext, acting
from servicekit.uow import AsyncpgUnitOfWork

from devstack.stack import running_infra

STAFF = Principal("urn:bench:staff", "portal", frozenset({"assessor"}), frozenset(), actor="p")


def _event(person: str) -> AssessmentSubmittedV1:
    data = AssessmentSubmitted(
        case_id="c", assessment_id=str(uuid.uuid4()), assessor_id="a", area_code="E09000033"
    )
    return AssessmentSubmittedV1(source="/bench", subject=person, data=data)


async def _timed(times: int, step: Callable[[int], Awaitable[None]]) -> list[float]:
    taken = []
    for i in range(times):
        started = time.perf_counter()
        await step(i)
        taken.append((time.perf_counter() - started) * 1000)
    return taken


def _line(label: str, ms: list[float]) -> str:
    p95 = statistics.quantiles(ms, n=20)[18]
    return f"  {label}: p50 {statistics.median(ms):.2f} ms, p95 {p95:.2f} ms"


async def measure(count: int, concurrency: int) -> None:
    # fast=False: PostgreSQL fsyncs its commits, as in production
    async with running_infra(use_env=False, fast=False, databases=["bench"]) as infra:
        pool = await db.create_pool(infra.database_url("bench"), 2, concurrency + 2)
        await db.migrate(pool, Path(tempfile.mkdtemp()))  # the kit's tables only
        writer = AuditWriter(lambda: pool)

        async def change(i: int) -> None:
            async with AsyncpgUnitOfWork(pool) as uow:
                uow.emit(_event(f"P{i}"))
                await uow.commit()

        async def audited_change(i: int) -> None:
            with acting(AccessContext("POST /x", "write", principal=STAFF, role="assessor")):
                await change(i)

        def entry(i: int) -> AuditEntry:
            return AuditEntry(
                audit.now(), "s", "staff", "assessor", "p", f"P{i}", "GET /x", "read", "allowed"
            )

        plain = await _timed(count, change)
        audited = await _timed(count, audited_change)
        reads = await _timed(count, lambda i: writer.record([entry(i)]))
        started = time.perf_counter()
        await asyncio.gather(*(writer.record([entry(i)]) for i in range(count * concurrency)))
        burst = time.perf_counter() - started
        async with pool.acquire() as conn:
            rows = await conn.fetchval("SELECT count(*) FROM audit")
            check = await audit.verify(conn)
        await pool.close()
    print(f"audit trail, {count} of each, one at a time:")
    print(_line("a change through the unit of work, no request (no audit row)", plain))
    print(_line("the same change for a request (its audit row in the transaction)", audited))
    print(_line("a read's audit row on its own (AuditWriter)", reads))
    print(
        f"  {count * concurrency} reads' rows at once: {burst * 1000:.0f} ms,"
        f" {count * concurrency / burst:,.0f} rows/s; {rows} rows, chain intact: {check.intact}"
    )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--count", type=int, default=300)
    parser.add_argument("--concurrency", type=int, default=20)
    args = parser.parse_args()
    asyncio.run(measure(args.count, args.concurrency))
