"""Every service and the portal as real processes on the session's real Kafka and PostgreSQL."""

import asyncio
from collections.abc import AsyncIterator

import pytest
from devstack import apps
from devstack.procs import free_ports


class Platform:
    def __init__(self, infra, log_dir, traces_dir) -> None:  # noqa: ANN001
        self.infra, self.log_dir, self.traces_dir = infra, log_dir, traces_dir
        self.ports = dict(zip((a.name for a in apps.APPS), free_ports(len(apps.APPS)), strict=True))
        self.running: dict[str, apps.RunningApp] = {}

    def url(self, name: str) -> str:
        return f"http://127.0.0.1:{self.ports[name]}"

    def env(self, app: apps.App, **extra: str) -> dict[str, str]:
        return apps.app_env(
            app,
            self.ports,
            self.infra,
            traces_file=self.traces_dir / f"{app.name}.jsonl",
            extra={"CAREBENEFIT_ENVIRONMENT": "test", **extra},
        )

    async def start(self, name: str, **extra: str) -> None:
        app = apps.BY_NAME[name]
        self.running[name] = apps.start_app(
            app, self.ports[name], self.env(app, **extra), self.log_dir
        )
        await apps.wait_ready(self.running[name])

    def kill(self, name: str) -> None:
        apps.kill_app(self.running.pop(name))

    def stop_all(self) -> None:
        for running in self.running.values():
            apps.stop_app(running)
        self.running.clear()


@pytest.fixture(scope="session")
async def platform(infra, tmp_path_factory) -> AsyncIterator[Platform]:  # noqa: ANN001
    base = tmp_path_factory.mktemp("platform")
    running = Platform(infra, base / "logs", base / "traces")
    try:
        await asyncio.gather(*(running.start(app.name) for app in apps.APPS))
        yield running
    finally:
        running.stop_all()
