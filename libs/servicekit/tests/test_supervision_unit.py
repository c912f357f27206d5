"""The supervisor's rules, on plain tasks: restart with back-off, readiness, exit when it lasts."""

import asyncio
import linecache
import logging

from servicekit.supervision import Backoff, Supervisor, TaskHealth, every, healthy, origin

from .support import eventually


async def _true(value: bool) -> bool:
    return value


def test_back_off_doubles_to_its_cap_with_jitter_between_half_and_all() -> None:
    lowest, highest = Backoff(first=1, cap=8, jitter=lambda: 0.0), Backoff(1, 8, lambda: 0.999)
    assert [lowest.next_delay() for _ in range(5)] == [0.5, 1.0, 2.0, 4.0, 4.0]
    assert [round(highest.next_delay(), 1) for _ in range(5)] == [1.0, 2.0, 4.0, 8.0, 8.0]
    lowest.reset()
    assert lowest.next_delay() == 0.5


async def test_a_task_that_raises_is_logged_restarted_and_reported_until_it_recovers(
    caplog,
) -> None:
    runs, broken = [], asyncio.Event()
    broken.set()

    async def flaky() -> None:
        runs.append(1)
        if broken.is_set():
            raise ValueError("person AB123456C has no award")  # a message with personal data
        healthy()
        await asyncio.Event().wait()

    supervisor = Supervisor(backoff_cap=0.05)
    with caplog.at_level(logging.ERROR, logger="servicekit.supervision"):
        task = supervisor.start("sender", flaky)
        await eventually(lambda: _true(len(runs) >= 3), timeout=5)
        assert supervisor.reasons() == ["sender: ValueError"]
        assert supervisor.tasks["sender"].view()["state"] == "failing"
        broken.clear()
        await eventually(lambda: _true(not supervisor.reasons()), timeout=5)
    task.cancel()
    restarts = supervisor.tasks["sender"].restarts
    assert restarts == len(runs) - 1 >= 2
    assert supervisor.tasks["sender"].view() == {"state": "running", "restarts": restarts}
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert "sender failed: ValueError at test_supervision_unit.py:" in logged
    assert "AB123456C" not in logged and "no award" not in logged


async def test_a_restarted_task_that_keeps_running_counts_as_recovered_after_settling() -> None:
    clock = [100.0]
    health = TaskHealth("job", settle=1.0, clock=lambda: clock[0])
    health.failed(ConnectionRefusedError())
    health.started()
    clock[0] += 0.5
    assert health.failing and health.view()["error"] == "ConnectionRefusedError (network)"
    clock[0] += 0.6
    assert not health.failing


async def test_a_failure_that_outlasts_the_threshold_calls_on_fatal_once() -> None:
    fatal: list[str] = []

    async def broken() -> None:
        raise ConnectionRefusedError("database down")

    supervisor = Supervisor(exit_after=0.3, on_fatal=fatal.append, backoff_cap=0.05)
    tasks = [supervisor.start("outbox-relay", broken), asyncio.create_task(supervisor.watchdog())]
    await eventually(lambda: _true(bool(fatal)), timeout=5)
    await asyncio.sleep(0.3)
    for task in tasks:
        task.cancel()
    assert len(fatal) == 1
    assert fatal[0].startswith("outbox-relay has been failing for")
    assert fatal[0].endswith("(ConnectionRefusedError (network))")


async def test_a_job_made_with_every_runs_now_and_again_and_its_failures_are_supervised() -> None:
    steps: list[int] = []

    async def step(runtime: object) -> None:
        steps.append(1)
        if len(steps) == 2:
            raise RuntimeError("a bug this time")

    supervisor = Supervisor(backoff_cap=0.02)
    job = every(0.01, step, name="review sweep")
    task = supervisor.start(job.__qualname__, lambda: job(None))
    await eventually(lambda: _true(len(steps) >= 4), timeout=5)
    task.cancel()
    assert supervisor.tasks["review sweep"].restarts == 1
    assert not supervisor.reasons()


async def test_health_watched_from_outside_is_failing_until_it_reports_ok() -> None:
    supervisor = Supervisor()
    consumer = supervisor.watch("consumer")
    consumer.failed(TimeoutError())
    assert supervisor.reasons() == ["consumer: TimeoutError (network)"]
    consumer.ok()
    assert supervisor.reasons() == []
    assert supervisor.watch("consumer").name == "consumer-2"


def test_where_a_failure_was_raised_is_named_without_reading_its_source(tmp_path) -> None:
    source = tmp_path / "failing_job.py"
    source.write_text("def run():\n    raise RuntimeError('broker gone')\n")
    code = compile(source.read_text(), str(source), "exec")
    namespace: dict = {}
    exec(code, namespace)  # noqa: S102 (a module of the test's own, from a file linecache could read)
    try:
        namespace["run"]()
    except RuntimeError as error:
        failure = error

    assert origin(failure) == "failing_job.py:2 in run"
    assert linecache.cache.get(str(source), (None,))[0] is None  # no lines read and kept
