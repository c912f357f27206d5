"""`make up`: the infrastructure, then the four services and the portal (started and kept
running by `devstack.supervise`), then demo data."""

import asyncio
import contextlib
import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from devstack import apps, local, oidc
from devstack.demo import load_demo
from devstack.paths import local_dir, repo_root
from devstack.procs import log_tail, pid_alive, terminate
from devstack.signin import DEMO_PASSWORD
from devstack.tokens import Tokens


def apps_state_path(root: Path | None = None) -> Path:
    return local_dir(root) / "apps.json"


def _ports() -> dict[str, int]:
    return {
        a.name: int(os.environ.get(f"{a.env_prefix}HTTP_PORT", a.default_port)) for a in apps.APPS
    }


async def platform_up(*, demo: bool = True, brokers: int = 1) -> dict[str, Any]:
    """The infrastructure (with `brokers` Kafka nodes), then `devstack.supervise` (detached) to
    start the apps and restart any that exits, then the demo data once every app is ready."""
    root = repo_root()
    state = await local.infra_up(brokers=brokers)
    platform_down(apps_only=True)
    log_dir = local_dir(root) / "logs"
    log_dir.mkdir(parents=True, exist_ok=True)
    with (log_dir / "supervisor.log").open("ab") as log:
        supervisor = subprocess.Popen(  # noqa: ASYNC220 (detached at once, never waited for)
            [sys.executable, "-m", "devstack.supervise"],
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    running = await _recorded_apps(supervisor, log_dir / "supervisor.log")
    await asyncio.gather(*(apps.wait_ready(running[a.name]) for a in apps.APPS))
    provider = oidc.OidcProvider.from_state(state["oidc"])
    loaded = []
    if demo:  # as a demo assessor signed in at the provider
        tokens = await Tokens.for_provider(root, provider)
        loaded = await load_demo({a.name: running[a.name].url for a in apps.APPS}, tokens)
    return {
        "portal": running["portal"].url,
        "apps": {a.name: running[a.name].url for a in apps.APPS},
        "oidc": provider.issuer,
        "demo_people": loaded,
    }


async def _recorded_apps(
    supervisor: subprocess.Popen, log_file: Path, timeout: float = 30.0
) -> dict[str, apps.RunningApp]:
    """The apps the supervisor started, once `.local/apps.json` lists every one."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if supervisor.poll() is not None:
            raise RuntimeError(f"the supervisor exited; last log lines:\n{log_tail(log_file)}")
        with contextlib.suppress(FileNotFoundError, ValueError):
            state = json.loads(apps_state_path().read_text())
            if all(a.name in state for a in apps.APPS):
                return {
                    a.name: apps.RunningApp(
                        a,
                        state[a.name]["port"],
                        state[a.name]["pid"],
                        Path(state[a.name]["log_file"]),
                    )  # fmt: skip
                    for a in apps.APPS
                }
        await asyncio.sleep(0.2)
    raise RuntimeError(f"the supervisor did not start the apps; see {log_file}")


def _start_stand_ins(root: Path, notifications_port: int) -> dict[str, apps.RunningApp]:
    """Development stand-ins for the outside world: an SMTP server that logs every email it
    receives, and a local GOV.UK Notify stub for text messages and letters (sending its
    delivery receipts to the notifications service)."""
    callback_url = f"http://127.0.0.1:{notifications_port}/notify/callback"
    log_dir = local_dir(root) / "logs"
    return {
        name: apps.start_process(name, argv, port, log_dir)
        for name, argv, port in (
            (
                "smtp-sink",
                [
                    "-m",
                    "aiosmtpd",
                    "-n",
                    "-l",
                    "127.0.0.1:1025",
                    "-c",
                    "aiosmtpd.handlers.Debugging",
                ],
                1025,
            ),
            (
                "notify-stub",
                ["-m", "devstack.notify_stub", "--port", "8199", "--callback-url", callback_url],
                8199,
            ),
        )
    }


def _write_apps_state(root: Path, running: dict[str, apps.RunningApp]) -> None:
    state = {
        name: {"pid": r.pid, "port": r.port, "log_file": str(r.log_file)}
        for name, r in running.items()
    }
    apps_state_path(root).write_text(json.dumps(state, indent=2) + "\n")


def platform_down(*, apps_only: bool = False) -> list[str]:
    root = repo_root()
    path, stopped = apps_state_path(root), []
    if path.exists():
        recorded = json.loads(path.read_text())
        supervisor = recorded.pop("supervisor", None)
        if supervisor and pid_alive(supervisor["pid"]):
            stopped += ["supervisor", *(n for n, e in recorded.items() if pid_alive(e["pid"]))]
            terminate(supervisor["pid"], timeout=60)  # it stops its apps first
        for name, entry in recorded.items():
            if pid_alive(entry["pid"]):
                terminate(entry["pid"], timeout=20)
                stopped += [] if name in stopped else [name]
        path.unlink()
    if not apps_only:
        stopped += local.infra_down()
    return stopped


def demo_accounts(root: Path | None = None) -> list[dict[str, Any]]:
    path = oidc.oidc_root(root or repo_root()) / "accounts.json"
    return json.loads(path.read_text())["accounts"]


def describe(result: dict[str, Any]) -> str:
    lines = [f"Care Benefit is running. Portal: {result['portal']}", ""]
    lines += [f"  {name:<14} {url}" for name, url in result["apps"].items()]
    lines.append(f"  {'oidc provider':<14} {result['oidc']}")
    lines += ["", f"Sign in (password {DEMO_PASSWORD} for every demo account):"]
    for account in demo_accounts():
        what = account.get("name") or " ".join(
            account["identity"][k] for k in ("given_name", "family_name")
        )
        roles = ", ".join(account.get("roles", [])) or "citizen (/sign-in)"
        lines.append(f"  {account['username']:<36} {what:<16} {roles}")
    lines.append("  Staff sign in at /staff/sign-in.")
    lines += [
        "",
        "Emails sent: .local/logs/smtp-sink.log  Texts and letters: the Notify stub,"
        " .local/logs/notify-stub.log",
        "Logs: .local/logs/  Traces: .local/traces/  Stop: make down",
    ]
    return "\n".join(lines)
