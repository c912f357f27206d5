"""`make up`'s supervisor restarts an app that exits, backing off while it keeps exiting."""

import asyncio
import subprocess
import sys
from pathlib import Path

from devstack import apps
from devstack.supervise import RestartPolicy, keep_running


def test_the_delay_doubles_from_the_first_to_the_cap() -> None:
    policy = RestartPolicy(first=1, cap=30)
    assert [policy.delay(n) for n in range(1, 8)] == [1, 2, 4, 8, 16, 30, 30]


async def test_an_app_that_exits_is_started_again_until_stopping(tmp_path: Path) -> None:
    started: list[subprocess.Popen] = []

    def start() -> apps.RunningApp:
        # the first two exit as a service that gave up does (75); the third keeps running
        code = "import sys, time; time.sleep(60 if sys.argv[1] == '3' else 0); sys.exit(75)"
        process = subprocess.Popen([sys.executable, "-c", code, str(len(started) + 1)])
        started.append(process)
        return apps.RunningApp(apps.App("svc", "", "", None, 0), 0, process.pid,
                               tmp_path / "svc.log", process)  # fmt: skip

    running: dict[str, apps.RunningApp] = {}
    changes: list[int] = []
    stopping = asyncio.Event()
    task = asyncio.create_task(
        keep_running("svc", start, running, stopping, lambda: changes.append(running["svc"].pid),
                     RestartPolicy(first=0.05, cap=0.1))
    )  # fmt: skip
    try:
        for _ in range(100):
            if len(started) == 3:
                break
            await asyncio.sleep(0.1)
        await asyncio.sleep(0.5)
        assert len(started) == 3 and started[2].poll() is None  # not restarted while it runs
        assert changes == [p.pid for p in started]  # apps.json follows every restart
        assert [p.returncode for p in started[:2]] == [75, 75]
    finally:
        stopping.set()
        await asyncio.wait_for(task, 5)
        for process in started:
            process.kill()
            process.wait()
