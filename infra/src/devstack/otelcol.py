"""The OpenTelemetry Collector (`infra/otelcol`, built by `make bootstrap` into
`.local/bin/otelcol`) run as a process like the OpenID Connect provider: a data dir holding its
config, the log of its latest start and the spans it received (`spans.jsonl`: the file
exporter's OTLP/JSON, one export request a line, appended to across starts); stopped by PID.

Services export to it when `OTEL_EXPORTER_OTLP_ENDPOINT` is its `endpoint`; the portal's trace
waterfall reads its file when `PORTAL_OPS_TRACES_COLLECTOR_FILE` names it.
"""

import asyncio
import contextlib
import json
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
from servicekit.telemetry import otlp_span_records

from devstack.paths import local_dir
from devstack.procs import free_ports, log_tail, process_matches, terminate

HOST = "127.0.0.1"
READY = "Everything is ready."  # the collector's own log line once every component started


@dataclass
class Collector:
    pid: int
    port: int
    data_dir: Path
    process: subprocess.Popen[bytes] | None = field(default=None, repr=False)

    @property
    def endpoint(self) -> str:
        """The OTLP/HTTP base URL (a service's OTEL_EXPORTER_OTLP_ENDPOINT)."""
        return f"http://{HOST}:{self.port}"

    @property
    def config_file(self) -> Path:
        return self.data_dir / "otelcol.json"

    @property
    def spans_file(self) -> Path:
        return self.data_dir / "spans.jsonl"

    @property
    def log_file(self) -> Path:
        return self.data_dir / "otelcol.log"

    def alive(self) -> bool:
        return process_matches(self.pid, [str(self.config_file)])

    def spans(self) -> list[dict[str, Any]]:
        """Every span the collector has written so far, as servicekit's span records."""
        return exported_spans(self.spans_file)


def app_env(collector: Collector, app_name: str) -> dict[str, str]:
    """What an app needs to export its spans to the collector (in batches every 200 ms, not the
    SDK's 5 s: a waterfall is looked at right after the request); the portal reads its file."""
    env = {"OTEL_EXPORTER_OTLP_ENDPOINT": collector.endpoint, "OTEL_BSP_SCHEDULE_DELAY": "200"}
    if app_name == "portal":
        env["PORTAL_OPS_TRACES_COLLECTOR_FILE"] = str(collector.spans_file)
    return env


def binary(root: Path) -> Path:
    return local_dir(root) / "bin" / "otelcol"


def write_config(data_dir: Path, port: int) -> Path:
    """OTLP over HTTP in, JSON lines out (flushed every 100 ms); no metrics of its own.
    JSON is YAML, which the collector reads."""
    config = {
        "receivers": {"otlp": {"protocols": {"http": {"endpoint": f"{HOST}:{port}"}}}},
        "exporters": {
            "file": {
                "path": str(data_dir / "spans.jsonl"),
                "format": "json",
                "flush_interval": "100ms",
            }
        },
        "service": {
            "telemetry": {"metrics": {"level": "none"}},
            "pipelines": {"traces": {"receivers": ["otlp"], "exporters": ["file"]}},
        },
    }
    data_dir.mkdir(parents=True, exist_ok=True)
    path = data_dir / "otelcol.json"
    path.write_text(json.dumps(config, indent=2) + "\n")
    return path


def launch(root: Path, data_dir: Path, port: int) -> Collector:
    """Write the config and spawn the collector in its own session (no waiting)."""
    executable = binary(root)
    if not executable.is_file():
        raise RuntimeError(
            f"the OpenTelemetry Collector is not built ({executable}): run `make bootstrap`"
        )
    data_dir = data_dir.resolve()
    config = write_config(data_dir, port)
    with (data_dir / "otelcol.log").open("wb") as log:  # each start's own: see wait_ready
        process = subprocess.Popen(  # noqa: S603 (argv of our own build, no shell)
            [str(executable), "--config", str(config)],
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    return Collector(process.pid, port, data_dir, process)


async def start_collector(
    root: Path, data_dir: Path, port: int | None = None, timeout: float = 30.0
) -> Collector:
    """Launch the collector (on a free port unless given) and wait until its receiver answers."""
    [chosen] = [port] if port else free_ports(1)
    collector = await asyncio.to_thread(launch, root, data_dir, chosen)
    try:
        await wait_ready(collector, timeout)
    except BaseException:
        await asyncio.to_thread(stop_collector, collector)
        raise
    return collector


async def wait_ready(collector: Collector, timeout: float) -> None:
    """Until the collector logs that it is ready (it starts a pipeline from its end, the
    receiver last: spans sent to it from then on are written) and its receiver answers. The
    log line, not the port alone: another process may hold the port, and then this one exits."""
    deadline = time.monotonic() + timeout
    async with httpx.AsyncClient(timeout=2) as http:
        while time.monotonic() < deadline:
            if collector.process is not None and collector.process.poll() is not None:
                raise RuntimeError(
                    "the OpenTelemetry Collector exited during start-up; last log lines:\n"
                    + log_tail(collector.log_file)
                )
            if READY in collector.log_file.read_text(errors="replace"):
                with contextlib.suppress(httpx.HTTPError):
                    await http.get(collector.endpoint + "/v1/traces")  # 405: it answers
                    return
            await asyncio.sleep(0.1)
    raise RuntimeError(
        f"the OpenTelemetry Collector was not ready at {collector.endpoint} within {timeout}s;"
        f" last log lines:\n{log_tail(collector.log_file)}"
    )


def stop_collector(collector: Collector, timeout: float = 10.0) -> bool:
    """SIGTERM by PID (only if that PID still runs the collector on this config; it flushes
    its file first). False if it was not running."""
    running = collector.alive()
    if running:
        terminate(collector.pid, timeout)
    if collector.process is not None:
        collector.process.poll()
    return running


def exported_spans(path: Path) -> list[dict[str, Any]]:
    """The span records in a collector's file (none when it has written nothing yet)."""
    if not path.is_file():
        return []
    with path.open(encoding="utf-8") as lines:
        return [
            span for line in lines if line.strip() for span in otlp_span_records(json.loads(line))
        ]
