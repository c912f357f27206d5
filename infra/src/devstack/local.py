"""The long-lived development stack under `.local/` behind `python -m devstack`.

State file `.local/stack.json` (JSON, mode 0600, no passwords): ports, PIDs, bootstrap servers,
database server, data dirs and logs; `infra-down` stops the servers by the PIDs recorded there.
Kafka is one node (`.local/kafka/data`) or, with `--brokers 3`, three (`.local/kafka/data/
node-<id>`, on KAFKA_PORT, +2, +4 and KAFKA_CONTROLLER_PORT, +2, +4); each keeps its data.
Secrets `.local/secrets/` (0700): `credentials.json` (every generated password, 0600) and
`ca.pem` (the CA clients trust; a new one at each start, its key never stored).
"""

import asyncio
import json
import os
import shutil
import time
from collections.abc import Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from contracts.topics import ALL_TOPICS

from devstack import kafka, kafka_cluster, oidc, postgres
from devstack.credentials import Credentials
from devstack.os_user import SUPERUSER
from devstack.paths import local_dir, repo_root
from devstack.stack import (
    SERVICE_DATABASES,
    Infra,
    start_infra,
    with_user,
    without_password,
)

STATE_VERSION = 3  # 2: secured (credentials beside it); 3: a list of Kafka nodes


def state_path(root: Path | None = None) -> Path:
    return local_dir(root) / "stack.json"


def secrets_dir(root: Path | None = None) -> Path:
    return local_dir(root) / "secrets"


def credentials_path(root: Path | None = None) -> Path:
    return secrets_dir(root) / "credentials.json"


def read_state(root: Path | None = None) -> dict[str, Any] | None:
    try:
        return json.loads(state_path(root).read_text())
    except FileNotFoundError:
        return None


def _broker_state(broker: kafka.KafkaBroker) -> dict[str, Any]:
    return {
        "node_id": broker.node_id,
        "pid": broker.pid,
        "port": broker.port,
        "controller_port": broker.controller_port,
        "data_dir": str(broker.data_dir),
        "log_file": str(broker.log_file),
    }


def _state(infra: Infra, fast: bool, databases: list[str], topics: list[str]) -> dict[str, Any]:
    brokers, cluster = infra.kafka_cluster, infra.postgres
    return {
        "version": STATE_VERSION,
        "started_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "kafka": {
            "managed": brokers is not None,
            "bootstrap_servers": infra.bootstrap_servers,
            "data_dir": brokers and str(brokers.kafka_dir),
            "brokers": [_broker_state(b) for _, b in sorted(brokers.brokers.items())]
            if brokers
            else [],
        },
        "postgres": {
            "managed": cluster is not None,
            "database_url_base": without_password(infra.database_url_base),
            "pid": cluster and cluster.pid,
            "port": cluster and cluster.port,
            "cluster_dir": cluster and str(cluster.cluster_dir),
            "log_file": cluster and str(cluster.log_file),
            "os_user": cluster and cluster.os_user,
            "fast": fast,
        },
        "oidc": infra.oidc.state() if infra.oidc else {"managed": False},
        "databases": databases,
        "topics": topics,
        "kafka_ca_file": infra.kafka_ca_file and str(infra.kafka_ca_file),
        "credentials_file": str(credentials_path()),
    }


def load_infra(state: dict[str, Any], root: Path | None = None) -> Infra:
    """How to reach the running stack a state file describes (no process handles)."""
    credentials = Credentials.load(credentials_path(root))
    base = state["postgres"]["database_url_base"]
    if state["postgres"]["managed"]:
        base = with_user(base, SUPERUSER, credentials.postgres[SUPERUSER])
    return Infra(
        bootstrap_servers=state["kafka"]["bootstrap_servers"],
        database_url_base=base,
        credentials=credentials,
        kafka_ca_file=Path(state["kafka_ca_file"]) if state.get("kafka_ca_file") else None,
    )


def _credentials(root: Path, databases: list[str]) -> Credentials:
    """The stack's passwords, made the first time. Data made before them (or whose passwords
    were lost) cannot be reached with them, so it is removed to be made again."""
    path = credentials_path(root)
    if path.is_file():
        return Credentials.load(path).complete(databases)
    stale = [d for d in (local_dir(root) / "kafka" / "data", local_dir(root) / "pg") if d.exists()]
    for directory in stale:
        print(f"devstack: no credentials for {directory}; recreating it")
        shutil.rmtree(directory)
    secrets_dir(root).mkdir(mode=0o700, parents=True, exist_ok=True)
    return Credentials.generate(databases)


def status(state: dict[str, Any]) -> dict[str, bool]:
    """Liveness of the servers a state file says we manage (adopted ones count as up)."""
    k, p, o = state["kafka"], state["postgres"], state.get("oidc", {"managed": False})
    nodes = k.get("brokers", [])
    return {
        "kafka": not k["managed"]
        or (bool(nodes) and all(kafka.is_running(n["pid"], Path(n["data_dir"])) for n in nodes)),
        "postgres": not p["managed"] or postgres.is_running(Path(p["cluster_dir"]), p["pid"]),
        "oidc": o["managed"] and oidc.OidcProvider.from_state(o).alive(),
    }


def _broker_count(state: dict[str, Any]) -> int:
    return len(state["kafka"].get("brokers", [])) if state["kafka"]["managed"] else 0


async def infra_up(
    *, fast: bool = False, brokers: int = 1, env: Mapping[str, str] = os.environ
) -> dict[str, Any]:
    """Start the stack under `.local/` with `brokers` Kafka nodes (1 or 3) unless the state
    file says it is already up so (another count restarts it)."""
    root = repo_root()
    state = read_state(root)
    if state is not None:
        current = state.get("version") == STATE_VERSION and credentials_path(root).is_file()
        wanted = current and _broker_count(state) in (brokers, 0)
        if wanted and all(status(state).values()):
            return state
        await asyncio.to_thread(infra_down)  # half-dead, older or another size
    nodes = kafka_cluster.default_nodes(brokers, *kafka.ports_from_env(env))
    databases, topics = list(SERVICE_DATABASES), list(ALL_TOPICS)
    credentials = _credentials(root, databases)
    credentials.save(credentials_path(root))
    started = time.monotonic()
    infra = await start_infra(
        local_dir(root) / "kafka" / "data",
        local_dir(root) / "pg",
        kafka_nodes=nodes,
        pg_port=postgres.port_from_env(env),
        oidc_dir=local_dir(root) / "oidc",
        oidc_port=oidc.port_from_env(env),
        secrets_dir=secrets_dir(root),
        credentials=credentials,
        fast=fast,
        databases=databases,
        topics=topics,
        env=env,
    )
    state = _state(infra, fast, databases, [t.name for t in topics])
    state["startup_seconds"] = round(time.monotonic() - started, 1)
    path = state_path(root)
    path.unlink(missing_ok=True)
    with os.fdopen(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), "w") as out:
        out.write(json.dumps(state, indent=2) + "\n")
    return state


def infra_down(*, purge: bool = False) -> list[str]:
    """Stop the servers recorded in the state file (or found on the default dirs). With `purge`,
    also delete their data and the credentials. Returns what was stopped."""
    root = repo_root()
    state = read_state(root) or {"kafka": {"managed": False}, "postgres": {"managed": False}}
    kafka_dir = Path(state["kafka"].get("data_dir") or local_dir(root) / "kafka" / "data")
    pg_dir = Path(state["postgres"].get("cluster_dir") or local_dir(root) / "pg")
    stopped = []
    recorded = [state["kafka"].get("pid")]  # version 2 recorded one node
    recorded += [node["pid"] for node in state["kafka"].get("brokers", [])]
    pids = {*recorded, *kafka.find_broker_pids(kafka_dir)} - {None}
    if kafka.stop_kafka_pids(pids, kafka_dir):
        stopped.append("kafka")
    if postgres.stop_postgres(pg_dir, state["postgres"].get("pid")):
        stopped.append("postgres")
    oidc_dir = local_dir(root) / "oidc"
    oidc_pids = {(state.get("oidc") or {}).get("pid"), *oidc.find_pids(oidc_dir)} - {None}
    if any([oidc.stop_oidc(oidc.OidcProvider(pid, 0, oidc_dir, "", {}, {})) for pid in oidc_pids]):
        stopped.append("oidc")
    state_path(root).unlink(missing_ok=True)
    if purge:  # the passwords too: the next start makes new ones
        shutil.rmtree(kafka_dir, ignore_errors=True)
        shutil.rmtree(pg_dir, ignore_errors=True)
        shutil.rmtree(secrets_dir(root), ignore_errors=True)
    return stopped
