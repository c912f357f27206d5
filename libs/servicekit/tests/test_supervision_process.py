"""A real service process (assessment, built by the kit) cut off from PostgreSQL for longer than
its threshold: not ready with the reason, then it exits with status 75 so that its process
supervisor (`make up`, systemd, Kubernetes) starts it afresh."""

import time
from urllib.parse import urlsplit, urlunsplit

import httpx
import pytest
from devstack import apps
from devstack.procs import free_ports
from devstack.tcp_proxy import TcpProxy
from servicekit.service import EXIT_FOR_RESTART

from .support import eventually

pytestmark = [pytest.mark.integration, pytest.mark.fault]


def through(url: str, proxy: TcpProxy) -> str:
    parts = urlsplit(url)
    credentials = parts.netloc.rpartition("@")[0]
    return urlunsplit(parts._replace(netloc=f"{credentials}@{proxy.address}"))


async def test_a_failure_that_outlasts_the_threshold_exits_the_process_for_a_restart(
    infra,
    fresh_database,
    tmp_path,
) -> None:
    target = urlsplit(fresh_database)
    proxy = await TcpProxy(target.hostname, target.port).start()
    app = apps.BY_NAME["assessment"]
    ports = dict(zip((a.name for a in apps.APPS), free_ports(len(apps.APPS)), strict=True))
    env = apps.app_env(
        app,
        ports,
        infra,
        extra={
            "CAREBENEFIT_ENVIRONMENT": "test",
            "ASSESSMENT_DATABASE_URL": through(fresh_database, proxy),
            "ASSESSMENT_MIGRATION_DATABASE_URL": through(fresh_database, proxy),
            "ASSESSMENT_SUPERVISOR_EXIT_AFTER_SECONDS": "3",
            "ASSESSMENT_SUPERVISOR_BACKOFF_MAX_SECONDS": "0.5",
        },
    )
    running = apps.start_app(app, ports[app.name], env, tmp_path)
    try:
        await apps.wait_ready(running)
        await proxy.cut()  # every connection reset, new ones refused
        cut_at = time.monotonic()

        async def not_ready() -> dict | None:
            async with httpx.AsyncClient(timeout=2) as http:
                response = await http.get(running.url + "/health/ready")
            body = response.json()
            return body if any(r.startswith("outbox-relay") for r in body["reasons"]) else None

        body = await eventually(not_ready, timeout=10)
        status = running.process.wait(30)
        exited_after = time.monotonic() - cut_at
    finally:
        await proxy.close()
        if running.process.poll() is None:
            apps.stop_app(running)
    log = running.log_file.read_text()
    print(f"not ready with {body['reasons']}; exited {exited_after:.1f} s after the cut")
    assert "database is not answering" in body["reasons"]
    assert status == EXIT_FOR_RESTART == 75
    assert 3 <= exited_after < 20
    assert "outbox-relay has been failing for" in log and "exiting with status 75" in log
