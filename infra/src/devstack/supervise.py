"""`make up`'s process supervisor: it starts the platform's apps and restarts any that exits.

`python -m devstack up` runs this detached (`python -m devstack.supervise`). It starts the
development stand-ins and the four services and the portal, records every pid in
`.local/apps.json` (its own under "supervisor"; the OpenTelemetry Collector's under "otelcol",
started once when built), and when an app exits — a crash, or a service
giving up on a failure that outlasted `supervisor_exit_after_seconds` (status 75) — starts it
again after 1 s, doubling up to 30 s while it keeps exiting within a minute of its start. Each
exit and restart is logged to `.local/logs/supervisor.log`. On SIGTERM (`make down`) it stops
every app and exits.
"""

import asyncio
import logging
import os
import signal
import time
from collections.abc import Callable
from dataclasses import dataclass

from devstack import apps, local, oidc, otelcol, platform_stack
from devstack.paths import local_dir, repo_root

log = logging.getLogger("devstack.supervise")


@dataclass(frozen=True)
class RestartPolicy:
    first: float = 1.0
    cap: float = 30.0
    stable_after: float = 60.0
    """An app that ran this long before exiting is restarted after `first` again."""

    def delay(self, quick_exits: int) -> float:
        return min(self.cap, self.first * 2 ** max(0, quick_exits - 1))


async def keep_running(
    name: str,
    start: Callable[[], apps.RunningApp],
    running: dict[str, apps.RunningApp],
    stopping: asyncio.Event,
    on_change: Callable[[], None],
    policy: RestartPolicy = RestartPolicy(),
) -> None:
    """Start `name`, and start it again each time it exits, until `stopping` is set."""
    quick_exits = 0
    while not stopping.is_set():
        running[name] = start()
        on_change()
        started = time.monotonic()
        while (status := running[name].process.poll()) is None and not stopping.is_set():
            await asyncio.sleep(0.2)
        if stopping.is_set():
            return
        quick_exits = 0 if time.monotonic() - started > policy.stable_after else quick_exits + 1
        delay = policy.delay(quick_exits)
        log.warning("%s exited with status %s; starting it again in %.0f s", name, status, delay)
        try:
            await asyncio.wait_for(stopping.wait(), delay)
        except TimeoutError:
            pass


async def start_collector() -> otelcol.Collector | None:
    """The OpenTelemetry Collector the apps export their spans to (`.local/otelcol/`, port
    OTELCOL_PORT or 4318), when `make bootstrap` has built it and CAREBENEFIT_OTELCOL is not 0."""
    root = repo_root()
    if os.environ.get("CAREBENEFIT_OTELCOL") == "0" or not otelcol.binary(root).is_file():
        return None
    port = int(os.environ.get("OTELCOL_PORT", "4318"))
    return await otelcol.start_collector(root, local_dir(root) / "otelcol", port)


def _as_running(collector: otelcol.Collector) -> apps.RunningApp:
    """Recorded and stopped with the apps (it is not restarted)."""
    app = apps.App("otelcol", "", "", None, collector.port)
    return apps.RunningApp(
        app, collector.port, collector.pid, collector.log_file, collector.process
    )


async def app_starters(
    collector: otelcol.Collector | None = None,
) -> dict[str, Callable[[], apps.RunningApp]]:
    """How to start each app on the stack that `infra-up` recorded in `.local/stack.json`, the
    portal registered as a client of the stack's OpenID Connect provider for its address; their
    spans go to `collector` too when there is one."""
    root, state = repo_root(), local.read_state()
    if state is None:
        raise RuntimeError("the infrastructure is not running (no .local/stack.json)")
    ports, infra = platform_stack._ports(), local.load_infra(state, root)
    provider = oidc.OidcProvider.from_state(state["oidc"])
    portal_client = await oidc.register_portal(
        root,
        provider.issuer,
        provider.registration_token,
        f"http://127.0.0.1:{ports['portal']}",
        local_dir(root) / "oidc" / "portal-key.pem",
    )
    log_dir = local_dir(root) / "logs"

    def starter(app: apps.App) -> Callable[[], apps.RunningApp]:
        env = apps.app_env(
            app,
            ports,
            infra,
            traces_file=local_dir(root) / "traces" / f"{app.name}.jsonl",
            extra=otelcol.app_env(collector, app.name) if collector else None,
            identity=apps.oidc_env(app, provider, portal_client),
        )
        return lambda: apps.start_app(app, ports[app.name], env, log_dir)

    return {app.name: starter(app) for app in apps.APPS}


async def supervise(policy: RestartPolicy = RestartPolicy()) -> None:
    root = repo_root()
    stopping = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stopping.set)
    me = apps.RunningApp(apps.App("supervisor", "", "", None, 0), 0, os.getpid(),
                         local_dir(root) / "logs" / "supervisor.log")  # fmt: skip
    collector = await start_collector()
    starters = await app_starters(collector)
    stand_ins = platform_stack._start_stand_ins(root, platform_stack._ports()["notifications"])
    running = {
        "supervisor": me,
        **stand_ins,
        **({"otelcol": _as_running(collector)} if collector else {}),
    }

    def record() -> None:
        platform_stack._write_apps_state(root, running)

    tasks = [
        asyncio.create_task(keep_running(name, start, running, stopping, record, policy))
        for name, start in starters.items()
    ]
    await stopping.wait()
    await asyncio.gather(*tasks)
    for name, app in running.items():
        if name != "supervisor":
            apps.stop_app(app)
    log.info("stopped every app")


if __name__ == "__main__":
    logging.basicConfig(format="%(asctime)s %(levelname)s %(message)s", level=logging.INFO)
    asyncio.run(supervise())
