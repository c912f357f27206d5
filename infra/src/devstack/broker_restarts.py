"""Starting a killed Kafka broker again exactly as it ran (its own command line, its data), and
with one listener more: for fault tests, which kill the broker and cut one client off from it.

A Kafka client is told, by the broker, where to connect next: the advertised address of the
listener it came in on. So a proxy in front of the ordinary listener would be bypassed after the
first request. Instead the broker gets a listener of its own for the proxied client, bound on
one port and advertised at the proxy's: `--override`s on its command line, so its
`server.properties` (and the rest of devstack) stay as they are.
"""

import contextlib
import subprocess
from typing import Any

import psutil

from devstack import kafka
from devstack.kafka import KafkaBroker

SCRAM_SERVER = "org.apache.kafka.common.security.scram.ScramLoginModule required;"


def with_listener(broker: KafkaBroker, name: str, port: int, advertised_port: int) -> list[str]:
    """The running broker's command line plus a SASL_SSL listener `name` on `port`, advertised
    at `advertised_port` (the same TLS keystore and SCRAM credentials as the others)."""
    command = psutil.Process(broker.pid).cmdline()
    props = dict(
        line.split("=", 1)
        for line in broker.properties.read_text().splitlines()
        if "=" in line and not line.startswith("#")
    )
    lower = name.lower()
    overrides = {
        "listeners": f"{props['listeners']},{name}://127.0.0.1:{port}",
        "advertised.listeners": f"{props['advertised.listeners']},"
        f"{name}://127.0.0.1:{advertised_port}",
        "listener.security.protocol.map": f"{props['listener.security.protocol.map']},"
        f"{name}:SASL_SSL",
        f"listener.name.{lower}.sasl.enabled.mechanisms": "SCRAM-SHA-512",
        f"listener.name.{lower}.scram-sha-512.sasl.jaas.config": SCRAM_SERVER,
    }
    return command + [
        arg for key, value in overrides.items() for arg in ("--override", f"{key}={value}")
    ]


# A deadline, not a timing: a loaded 2-core machine once took over 90 s to bring a killed
# broker back (a soak's traffic, and its neighbours' test suites, at load average 30).
READY_DEADLINE_S = 300


async def launch(broker: KafkaBroker, command: list[str], options: dict[str, Any]) -> None:
    """Run `command` in the broker's data dir (appending to its log) and wait until it serves
    metadata to a client with `options`; `broker` then describes the new process."""
    process = _spawn(command, broker)
    broker.pid, broker.process = process.pid, process
    await kafka.wait_ready(options, READY_DEADLINE_S, exited=process.poll, log_file=broker.log_file)


def _spawn(command: list[str], broker: KafkaBroker) -> subprocess.Popen[bytes]:
    with broker.log_file.open("ab") as log:
        return subprocess.Popen(  # noqa: S603 (the broker's own argv, no shell)
            command,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
            cwd=broker.data_dir,
        )


def reap(broker: KafkaBroker) -> None:
    """Wait for a killed broker's process to be gone (and reaped, when it is our child)."""
    if broker.process is not None:
        broker.process.wait(30)
    else:
        with contextlib.suppress(psutil.NoSuchProcess):
            psutil.Process(broker.pid).wait(30)
