"""`python -m devstack.footprint`: how many bytes of PostgreSQL each person costs each service,
the figures behind the database sizing in docs/scaling.md. A measurement, not a test.

- **Decided**: N assessments through the four services (over HTTP, as `devstack.bench` does),
  then each service database's tables, indexes and TOAST, less what the same tables take empty,
  divided by N: a person decided, planned, scheduled and told, with the inbox and outbox rows
  that cost.
- **Paid**: the payments benchmark's people (`devstack.payments_bench_seed`: an award, bank
  details, four periods) before and after one payment run, divided by the people: what a
  person's award costs payments, and what each monthly payment adds (ledger postings,
  instructions, outbox events).

Both on a throwaway stack; the outbox and inbox rows are all still there (the services delete
published outbox rows only after 7 days: servicekit.retention), and so is the audit trail (a
row for each change and read, counted in "own data"). The assessments are made by a demo
assessor with real tokens from the stack's provider.
"""

import argparse
import asyncio
import tempfile
from pathlib import Path

import asyncpg
from payments.config import PaymentsSettings
from payments.main import MIGRATIONS as PAYMENTS_MIGRATIONS
from payments.main import dependencies, load_planning_data
from payments.service_layer.commands import StartPaymentRun
from payments.service_layer.payment_run import run_payments
from payments.service_layer.roll_forward import roll_forward
from servicekit import db
from servicekit.crypto import Keyset

from devstack import apps, payments_bench
from devstack.drive import eventually, submit_assessment
from devstack.paths import repo_root
from devstack.payments_bench_seed import seed
from devstack.procs import free_ports
from devstack.stack import Infra, running_infra
from devstack.tokens import ASSESSOR, Tokens

PAGE = 8192
# Bytes in use: every table's heap, TOAST and indexes, less the pages an empty table holds (one
# metapage per index, TOAST's index included).
USED_BYTES = """
SELECT c.relname, pg_total_relation_size(c.oid)
     - (SELECT count(*) FROM pg_index i WHERE i.indrelid IN (c.oid, c.reltoastrelid)) * $1::bigint
FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p')
"""
# The kit's delivery bookkeeping: the inbox kept for ever, published outbox rows for 7 days.
DELIVERY_TABLES = ("outbox", "inbox")


async def used_bytes(url: str) -> dict[str, int]:
    """Bytes in use per table."""
    conn = await asyncpg.connect(url)
    try:
        await conn.execute("VACUUM")  # settle the visibility and free-space maps
        return dict(await conn.fetch(USED_BYTES, PAGE))
    finally:
        await conn.close()


def split(tables: dict[str, int], per: int) -> tuple[float, float]:
    """(the service's own data, its outbox and inbox), in bytes per `per`."""
    delivery = sum(size for name, size in tables.items() if name in DELIVERY_TABLES)
    return (sum(tables.values()) - delivery) / per, delivery / per


async def decided(infra: Infra, count: int) -> dict[str, tuple[float, float]]:
    """Bytes per decided person in each service database (the portal is not needed)."""
    log_dir = Path(tempfile.mkdtemp(prefix="footprint-")) / "logs"
    ports = dict(zip((a.name for a in apps.APPS), free_ports(len(apps.APPS)), strict=True))
    env = {"CAREBENEFIT_ENVIRONMENT": "test"}
    running = [
        apps.start_app(a, ports[a.name], apps.app_env(a, ports, infra, extra=env), log_dir)
        for a in apps.APPS
        if a.name != "portal"
    ]
    try:
        await asyncio.gather(*(apps.wait_ready(r) for r in running))
        url, gate = f"http://127.0.0.1:{ports['assessment']}", asyncio.Semaphore(8)
        tokens = await Tokens.for_provider(repo_root(), infra.oidc)

        async def one(i: int) -> None:
            async with gate:
                token = await tokens.staff(ASSESSOR, "assessment")
                await submit_assessment(url, f"footprint-{i}", token=token)

        await asyncio.gather(*(one(i) for i in range(count)))
        await eventually(lambda: _told(infra, count), timeout=600)
        await asyncio.sleep(2)  # emails and texts queued after the inbox message
    finally:
        for r in running:
            apps.stop_app(r)
    databases = [a.database for a in apps.APPS if a.name != "portal"]
    return {name: split(await used_bytes(infra.database_url(name)), count) for name in databases}


async def _told(infra: Infra, count: int) -> bool:
    conn = await asyncpg.connect(infra.database_url("notifications"))
    try:
        told = await conn.fetchval(
            "SELECT count(*) FROM messages WHERE template_id = 'decision-made'"
            " AND channel = 'inbox'"
        )
    finally:
        await conn.close()
    return told >= count


async def paid(server_url: str, people: int) -> tuple[tuple[float, float], tuple[float, float]]:
    """Payments' bytes per person with an award and four periods, and added by one run (per
    person paid), each split as `split` does."""
    async with payments_bench.database(server_url) as dsn:
        pool = await db.create_pool(dsn, 2, 4)
        try:
            await db.migrate(pool, PAYMENTS_MIGRATIONS)
            settings = PaymentsSettings(
                database_url=dsn, environment="development", **Keyset.generate().settings()
            )
            sealer = settings.sealer()
            await seed(dsn, people, payments_bench.RUN_DATE, sealer)
            before = await used_bytes(dsn)
            run_date = payments_bench.RUN_DATE
            deps = dependencies(settings, pool, load_planning_data(), lambda: run_date, sealer)
            await roll_forward(payments_bench.RUN_DATE, deps.uow, deps.planning, 2_000)
            run = await run_payments(StartPaymentRun(payments_bench.RUN_DATE), deps.payment_runs)
            after = await used_bytes(dsn)
        finally:
            await pool.close()
    added = {name: after[name] - before.get(name, 0) for name in after}
    return split(before, people), split(added, run.instructed)


async def main(assessments: int, people: int) -> None:
    async with running_infra(use_env=False) as infra:
        per_decision = await decided(infra, assessments)
        per_award, per_payment = await paid(infra.database_url("postgres"), people)
    print(f"decided ({assessments} assessments through the four services), bytes per person:")
    print(f"  {'database':<32} {'own data':>9} {'outbox+inbox':>13}")
    for name, (own, delivery) in per_decision.items():
        print(f"  {name:<32} {own:>9,.0f} {delivery:>13,.0f}")
    print(f"paid ({people:,} people, one payment run), bytes per person:")
    for what, (own, delivery) in (
        ("payments: award, four periods", per_award),
        ("payments: each payment made", per_payment),
    ):
        print(f"  {what:<32} {own:>9,.0f} {delivery:>13,.0f}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(prog="python -m devstack.footprint", description=__doc__)
    parser.add_argument("--assessments", type=int, default=300)
    parser.add_argument("--people", type=int, default=20_000)
    args = parser.parse_args()
    asyncio.run(main(args.assessments, args.people))
