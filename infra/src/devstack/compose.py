"""`python -m devstack compose-secrets DIR`: what infra/compose.yaml mounts and reads — a CA and
the servers' certificates (as devstack makes for itself), pg_hba.conf, and `.env` with the
cluster id and the `admin` / `postgres` passwords. Files 0600 in a 0700 directory."""

from pathlib import Path

from devstack import pki
from devstack.credentials import new_password
from devstack.kafka_setup import kafka_cluster_id

# Docker forwards the published port from its bridge, not from 127.0.0.1; compose.yaml
# publishes it on the host's loopback only.
COMPOSE_PG_HBA = (
    "local   all all           scram-sha-256\nhostssl all all 0.0.0.0/0 scram-sha-256\n"
)


def write_compose_secrets(directory: Path) -> Path:
    directory = directory.resolve()
    directory.mkdir(mode=0o700, parents=True, exist_ok=True)
    ca_pem, issued = pki.issue(("kafka", "postgres"), days=365)
    files = {
        "ca.pem": ca_pem,
        "kafka.pem": issued["kafka"].key_pem + issued["kafka"].cert_pem,
        "postgres.crt": issued["postgres"].cert_pem,
        "postgres.key": issued["postgres"].key_pem,
        "pg_hba.conf": COMPOSE_PG_HBA.encode(),
        ".env": (
            f"CLUSTER_ID={kafka_cluster_id()}\n"
            f"KAFKA_ADMIN_PASSWORD={new_password()}\n"
            f"POSTGRES_PASSWORD={new_password()}\n"
            f"COMPOSE_SECRETS_DIR={directory}\n"
        ).encode(),
    }
    for name, data in files.items():
        pki.write_private(directory / name, data)
    return directory
