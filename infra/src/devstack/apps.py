"""The platform's own processes: the four services and the portal, each a uvicorn process."""

import asyncio
import os
import socket
import subprocess
import sys
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from devstack.kafka_acls import OPERATIONS
from devstack.oidc import OidcProvider, PortalClient
from devstack.procs import log_tail, pid_alive, terminate
from devstack.stack import Infra


@dataclass(frozen=True)
class App:
    name: str
    target: str  # module:factory
    env_prefix: str
    database: str | None
    default_port: int
    kafka_principal: str | None = None  # defaults to `name`


APPS: tuple[App, ...] = (
    App("assessment", "assessment.main:create_app", "ASSESSMENT_", "assessment", 8101),
    App("payments", "payments.main:create_app", "PAYMENTS_", "payments", 8102),
    App("care-plans", "care_plans.main:create_app", "CARE_PLANS_", "care_plans", 8103),
    App("notifications", "notifications.main:create_app", "NOTIFICATIONS_", "notifications", 8104),
    App("portal", "portal.main:create_app", "PORTAL_", "portal", 8100, OPERATIONS),
)
# Credentials a process must not inherit from whoever started it: each app gets its own only.
_CREDENTIAL_SUFFIXES = (
    "KAFKA_USERNAME",
    "KAFKA_PASSWORD",
    "DATABASE_URL",
    "KAFKA_ADMIN_PASSWORD",
    "AUTH_CLIENT_SECRET",
    "ENCRYPTION_KEYS",
    "ENCRYPTION_KEY_ID",
    "LOOKUP_KEY",
)
BY_NAME = {app.name: app for app in APPS}


@dataclass
class RunningApp:
    app: App
    port: int
    pid: int
    log_file: Path
    process: subprocess.Popen | None = field(default=None, repr=False)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"


def app_env(
    app: App,
    ports: Mapping[str, int],
    infra: Infra,
    traces_file: Path | None = None,
    extra: Mapping[str, str] | None = None,
    identity: Mapping[str, str] | None = None,
) -> dict[str, str]:
    """The environment one app runs with: its own Kafka principal, its database's runtime and
    migration roles, its own encryption keys, and no one else's credentials; `identity` is what
    the app needs from the OpenID Connect provider (`oidc_env`; a service's default: the stack's
    own provider)."""
    if identity is None and infra.oidc is not None and app.name != "portal":
        identity = oidc_env(app, infra.oidc, None)
    inherited = {k: v for k, v in os.environ.items() if not k.endswith(_CREDENTIAL_SUFFIXES)}
    env = {
        **inherited,
        "CAREBENEFIT_ENVIRONMENT": "development",
        **(identity or {}),
        **infra.kafka_env(app.kafka_principal or app.name, app.env_prefix),
        **infra.encryption_env(app.name, app.env_prefix),
        f"{app.env_prefix}HTTP_PORT": str(ports[app.name]),
    }
    if app.database:
        env[f"{app.env_prefix}DATABASE_URL"] = infra.runtime_database_url(app.database)
        env[f"{app.env_prefix}MIGRATION_DATABASE_URL"] = infra.migration_database_url(app.database)
        # Static group membership: a restart takes the consumer's partitions back at once. One
        # id per process (its port), never one inherited from the shell: two replicas sharing
        # an id would fence each other out of the group (`extra` may still set one).
        instance = f"{app.name}@{socket.gethostname()}:{ports[app.name]}"
        env[f"{app.env_prefix}CONSUMER_INSTANCE_ID"] = instance
    if app.name == "portal":
        for other in APPS:
            if other.name != "portal":
                key = other.env_prefix.removesuffix("_")
                env[f"PORTAL_{key}_URL"] = f"http://127.0.0.1:{ports[other.name]}"
    if traces_file:
        env["OTEL_TRACES_FILE"] = str(traces_file)
    env.update(extra or {})
    return env


def oidc_env(app: App, provider: OidcProvider, portal: PortalClient | None) -> dict[str, str]:
    """A service checks tokens for its audience and gets its own; the portal signs people and
    staff in (the one development provider stands for GOV.UK One Login and staff SSO)."""
    if app.name == "portal":
        return portal.env(provider.issuer) if portal else {}
    return provider.service_env(app.name, app.env_prefix)


def start_app(app: App, port: int, env: Mapping[str, str], log_dir: Path) -> RunningApp:
    log_dir.mkdir(parents=True, exist_ok=True)
    log_file = log_dir / f"{app.name}.log"
    with log_file.open("ab") as log:
        process = subprocess.Popen(  # noqa: S603 (argv of our own tools, no shell)
            [
                sys.executable,
                "-m",
                "uvicorn",
                "--factory",
                app.target,
                "--host",
                "127.0.0.1",
                "--port",
                str(port),
                "--timeout-graceful-shutdown",
                "15",
                "--no-access-log",
            ],
            env=dict(env),
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    return RunningApp(app, port, process.pid, log_file, process)


def start_process(name: str, python_args: list[str], port: int, log_dir: Path) -> RunningApp:
    """A helper process (not one of the platform's apps) run with this Python."""
    log_dir.mkdir(parents=True, exist_ok=True)
    log_file = log_dir / f"{name}.log"
    with log_file.open("ab") as log:
        process = subprocess.Popen(  # noqa: S603 (argv of our own tools, no shell)
            [sys.executable, "-u", *python_args],
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    return RunningApp(App(name, "", "", None, port), port, process.pid, log_file, process)


async def wait_ready(running: RunningApp, timeout: float = 60.0) -> None:
    """Polls /health/ready (the portal: /health/live) until 200; fails fast if the process died."""
    path = "/health/live" if running.app.name == "portal" else "/health/ready"
    deadline = time.monotonic() + timeout
    async with httpx.AsyncClient(timeout=2) as client:
        while time.monotonic() < deadline:
            if not pid_alive(running.pid) or (
                running.process and running.process.poll() is not None
            ):
                raise RuntimeError(
                    f"{running.app.name} exited during start-up; last log lines:\n"
                    f"{log_tail(running.log_file)}"
                )
            try:
                if (await client.get(running.url + path)).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            await asyncio.sleep(0.2)
    raise RuntimeError(
        f"{running.app.name} not ready after {timeout}s; last log lines:\n"
        f"{log_tail(running.log_file)}"
    )


def stop_app(running: RunningApp, timeout: float = 20.0) -> None:
    terminate(running.pid, timeout)
    if running.process is not None:
        running.process.wait(timeout)


def kill_app(running: RunningApp) -> None:
    """SIGKILL: no shutdown hooks, no flushing — a crash."""
    import signal

    terminate(running.pid, timeout=10, sig=signal.SIGKILL)
    if running.process is not None:
        running.process.wait(10)
