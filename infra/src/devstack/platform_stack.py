"""`make up`: the infrastructure, then the four services and the portal, then demo data."""

import asyncio
import json
import os
from pathlib import Path
from typing import Any

from devstack import apps, local, oidc
from devstack.demo import load_demo
from devstack.paths import local_dir, repo_root
from devstack.procs import pid_alive, terminate
from devstack.signin import DEMO_PASSWORD
from devstack.tokens import Tokens


def apps_state_path(root: Path | None = None) -> Path:
    return local_dir(root) / "apps.json"


def _ports() -> dict[str, int]:
    return {
        a.name: int(os.environ.get(f"{a.env_prefix}HTTP_PORT", a.default_port)) for a in apps.APPS
    }


async def platform_up(*, demo: bool = True) -> dict[str, Any]:
    root = repo_root()
    state = await local.infra_up()
    infra = local.load_infra(state, root)
    platform_down(apps_only=True)
    ports, running = _ports(), {}
    provider = oidc.OidcProvider.from_state(state["oidc"])
    portal_client = await oidc.register_portal(
        root,
        provider.issuer,
        provider.registration_token,
        f"http://127.0.0.1:{ports['portal']}",
        local_dir(root) / "oidc" / "portal-key.pem",
    )
    running.update(_start_stand_ins(root, ports["notifications"]))
    for app in apps.APPS:
        env = apps.app_env(
            app,
            ports,
            infra,
            traces_file=local_dir(root) / "traces" / f"{app.name}.jsonl",
            identity=apps.oidc_env(app, provider, portal_client),
        )
        running[app.name] = apps.start_app(app, ports[app.name], env, local_dir(root) / "logs")
    _write_apps_state(root, running)
    await asyncio.gather(*(apps.wait_ready(running[a.name]) for a in apps.APPS))
    tokens = await Tokens.for_provider(root, provider) if demo else None
    loaded = (
        await load_demo(running["assessment"].url, running["notifications"].url, tokens)
        if tokens
        else []
    )
    return {
        "portal": running["portal"].url,
        "apps": {a.name: running[a.name].url for a in apps.APPS},
        "oidc": provider.issuer,
        "demo_people": loaded,
    }


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
        for name, entry in json.loads(path.read_text()).items():
            if pid_alive(entry["pid"]):
                terminate(entry["pid"], timeout=20)
                stopped.append(name)
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
