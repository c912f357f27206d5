"""Process and port helpers shared by the Kafka and PostgreSQL runners."""

import contextlib
import signal
import socket
from collections.abc import Sequence
from pathlib import Path

import psutil


def log_tail(path: Path, lines: int = 30) -> str:
    """The last `lines` lines of a log file without Java stack frames ('' when missing)."""
    try:
        with path.open("rb") as handle:
            handle.seek(0, 2)
            handle.seek(max(0, handle.tell() - 64_000))
            data = handle.read().decode("utf-8", "replace")
    except OSError:
        return ""
    kept = [
        line
        for line in data.splitlines()
        if not line.lstrip().startswith("at ") and not line.lstrip().startswith("... ")
    ]
    return "\n".join(kept[-lines:])


def process_matches(pid: int, markers: Sequence[str]) -> bool:
    """True when `pid` is a live (non-zombie) process with every marker as a command-line
    argument. Guards against signalling a recycled PID read from a state file."""
    try:
        proc = psutil.Process(pid)
        if proc.status() == psutil.STATUS_ZOMBIE:
            return False
        cmdline = proc.cmdline()
    except (psutil.NoSuchProcess, psutil.AccessDenied, psutil.ZombieProcess):
        return False
    return all(marker in cmdline for marker in markers)


def terminate(pid: int, timeout: float = 20.0, sig: int = signal.SIGTERM) -> None:
    """Send `sig` to `pid`, wait up to `timeout` s, then SIGKILL. Reaps it if it is our child."""
    try:
        proc = psutil.Process(pid)
        proc.send_signal(sig)
        try:
            proc.wait(timeout)
        except psutil.TimeoutExpired:
            proc.kill()
            proc.wait(10)
    except psutil.NoSuchProcess:
        return


def pid_alive(pid: int | None) -> bool:
    """Whether `pid` is a running, non-zombie process."""
    if not pid:
        return False
    try:
        return psutil.Process(pid).status() != psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return False


def free_ports(count: int = 1, host: str = "127.0.0.1") -> list[int]:
    """`count` distinct ports that were free on `host` a moment ago (for tests)."""
    with contextlib.ExitStack() as stack:
        ports = []
        for _ in range(count):
            sock = stack.enter_context(socket.socket(socket.AF_INET, socket.SOCK_STREAM))
            sock.bind((host, 0))
            ports.append(sock.getsockname()[1])
        return ports


def port_is_free(port: int, host: str = "127.0.0.1") -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((host, port))
        except OSError:
            return False
    return True


def require_free_ports(ports: dict[str, int], host: str = "127.0.0.1") -> None:
    """Raise a clear error naming every configured port that something already listens on."""
    busy = [f"{name}={port}" for name, port in ports.items() if not port_is_free(port, host)]
    if busy:
        raise RuntimeError(
            f"port(s) already in use on {host}: {', '.join(busy)}; stop whatever holds them "
            "(`python -m devstack infra-down`?) or choose other ports via the environment"
        )
