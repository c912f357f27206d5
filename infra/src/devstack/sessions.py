"""A registry of throwaway stacks started by `running_infra`, so a later session can stop the
servers (and the OpenID Connect provider) and remove the directories of one whose owner died
without tearing down (SIGKILL, `os._exit` from a test timeout). Entries live in
`<root>/.local/sessions/*.json`."""

import json
import os
import shutil
import uuid
from pathlib import Path

import psutil

from devstack import kafka, oidc, postgres
from devstack.paths import local_dir
from devstack.procs import terminate


def _owner_started(pid: int) -> float | None:
    """Start time of a live process (None when gone or a zombie)."""
    try:
        proc = psutil.Process(pid)
        return None if proc.status() == psutil.STATUS_ZOMBIE else proc.create_time()
    except psutil.NoSuchProcess:
        return None


def register(
    root: Path, kafka_dir: Path, pg_dir: Path, remove: list[Path], oidc_dir: Path | None = None
) -> Path:
    """Record the dirs before starting anything; `remove` are deleted when reaped."""
    directory = local_dir(root) / "sessions"
    directory.mkdir(parents=True, exist_ok=True)
    entry = directory / f"{os.getpid()}-{uuid.uuid4().hex[:8]}.json"
    entry.write_text(
        json.dumps(
            {
                "owner_pid": os.getpid(),
                "owner_started": _owner_started(os.getpid()),
                "kafka_dir": str(kafka_dir),
                "pg_dir": str(pg_dir),
                "oidc_dir": str(oidc_dir) if oidc_dir else None,
                "remove": [str(path) for path in remove],
            }
        )
    )
    return entry


def reap_orphans(root: Path) -> int:
    """Stop and clean up every registered stack whose owner process is gone. Returns how many."""
    directory = local_dir(root) / "sessions"
    reaped = 0
    for entry in sorted(directory.glob("*.json")) if directory.is_dir() else []:
        try:
            data = json.loads(entry.read_text())
        except (OSError, ValueError):
            entry.unlink(missing_ok=True)
            continue
        started = _owner_started(data["owner_pid"])
        if started is not None and abs(started - (data["owner_started"] or 0)) < 1:
            continue  # owner still running
        kafka_dir = Path(data["kafka_dir"])
        kafka.stop_kafka_pids(kafka.find_broker_pids(kafka_dir), kafka_dir, timeout=5)
        postgres.stop_postgres(Path(data["pg_dir"]), timeout=10)
        if data.get("oidc_dir"):
            for pid in oidc.find_pids(Path(data["oidc_dir"])):
                terminate(pid, timeout=5)
        for path in data["remove"]:
            shutil.rmtree(path, ignore_errors=True)
        entry.unlink(missing_ok=True)
        reaped += 1
    return reaped
