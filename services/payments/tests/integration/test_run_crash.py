"""A run that dies between batches, then is resumed, pays each person exactly once."""

import asyncio
import dataclasses
import os
import signal
import sys
from datetime import date

import pytest
from payments.adapters.run_store import RUN_LOCK_KEY
from payments.service_layer.commands import StartPaymentRun
from payments.service_layer.payment_run import run_payments

from ..unit.builders import decision

pytestmark = pytest.mark.integration
RUN_DATE = date(2025, 6, 16)
PEOPLE = [f"p{n:02d}" for n in range(1, 12)]


class Crash(Exception):
    pass


async def eleven_people_due(svc) -> None:
    await svc.deliver(*(decision(person=p, decision_id=f"d-{p}") for p in PEOPLE))
    for person in PEOPLE:
        await svc.bank_account(person)
    svc.clock.today = RUN_DATE


async def assert_each_paid_exactly_once(svc) -> None:
    issued = await svc.pool.fetch(
        "SELECT person_id, count(*) AS n FROM ledger_postings WHERE kind = 'payment_issued'"
        " AND line = 1 GROUP BY person_id"
    )
    assert {r["person_id"]: r["n"] for r in issued} == dict.fromkeys(PEOPLE, 1)
    in_files = await svc.pool.fetchval("SELECT sum(transactions) FROM bank_files")
    assert in_files == len(PEOPLE)
    events = await svc.pool.fetchval(
        "SELECT count(DISTINCT payload->'data'->>'instruction_id') FROM outbox"
        " WHERE type LIKE '%payment_issued%'"
    )
    assert events == len(PEOPLE) == (await svc.outbox_types()).count("payment_issued")
    await svc.reconcile()


async def test_a_crash_between_batches_then_a_resume(svc) -> None:
    await eleven_people_due(svc)

    async def die_after_second_batch(batch: int) -> None:
        if batch == 2:
            raise Crash("the process died here")

    runs = dataclasses.replace(svc.deps.payment_runs, workers=1, after_batch=die_after_second_batch)
    with pytest.raises(Crash):
        await run_payments(StartPaymentRun(RUN_DATE), runs)
    assert list((await svc.statuses()).values()).count("instructed") == 6
    other_day = await svc.http.post("/payment-runs", json={"run_date": "2025-06-17"})
    assert other_day.status_code == 409 and "did not finish" in other_day.text
    resumed = await svc.run(RUN_DATE, expect=200)
    assert resumed["outcome"] == "resumed" and resumed["instructed"] == len(PEOPLE)
    assert resumed["batches"] == len(resumed["files"]) >= 4
    await assert_each_paid_exactly_once(svc)


async def test_two_runs_at_once_one_is_refused(svc) -> None:
    await eleven_people_due(svc)
    in_batch, gate = asyncio.Event(), asyncio.Event()

    async def wait_at_first_batch(batch: int) -> None:
        in_batch.set()
        await gate.wait()

    runs = dataclasses.replace(svc.deps.payment_runs, after_batch=wait_at_first_batch)
    first = asyncio.create_task(run_payments(StartPaymentRun(RUN_DATE), runs))
    await in_batch.wait()
    busy = await svc.http.post("/payment-runs", json={"run_date": RUN_DATE.isoformat()})
    assert busy.status_code == 409 and busy.json()["errors"][0]["field"] == "run_date"
    gate.set()
    assert (await first).instructed == len(PEOPLE)
    await assert_each_paid_exactly_once(svc)


async def test_a_run_process_killed_mid_run_is_resumed(svc, infra) -> None:
    """SIGKILL of a real `python -m payments run-payments` process, between (or inside)
    batches."""
    await eleven_people_due(svc)
    database_url = svc.runtime.settings.database_url
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "payments",
        "run-payments",
        "--run-date",
        RUN_DATE.isoformat(),
        "--batch-size",
        "2",
        "--pause-after-batch",
        "5",
        env={
            **os.environ,
            **infra.encryption_env("payments", "PAYMENTS_"),
            "PAYMENTS_DATABASE_URL": database_url,
            "CAREBENEFIT_ENVIRONMENT": "test",
        },
    )
    while not await svc.pool.fetchval("SELECT batches FROM payment_runs"):
        assert process.returncode is None, "the run process ended early"
        await asyncio.sleep(0.05)
    process.send_signal(signal.SIGKILL)
    await process.wait()
    assert await svc.pool.fetchval("SELECT status FROM payment_runs") == "in_progress"
    await run_lock_released(svc)  # until then a resume is refused: "try again later"
    resumed = await svc.run(RUN_DATE, expect=200)
    assert resumed["outcome"] == "resumed"
    await assert_each_paid_exactly_once(svc)


async def run_lock_released(svc, timeout_s: float = 15.0) -> None:
    """The killed process's database session holds the run lock until PostgreSQL sees the
    connection gone (at once on an idle machine, a moment later on a busy one)."""
    deadline = asyncio.get_running_loop().time() + timeout_s
    while await svc.pool.fetchval(
        "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND objid = $1", RUN_LOCK_KEY
    ):
        assert asyncio.get_running_loop().time() < deadline, "the run lock was never released"
        await asyncio.sleep(0.05)
