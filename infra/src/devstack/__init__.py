"""Start and stop the real development infrastructure: a PostgreSQL cluster and a single-node
Kafka broker (KRaft, from Maven jars), plus the project's topics and service databases.

CLI: `python -m devstack infra-up|infra-down|infra-status`. Tests: `running_infra`.
"""

from devstack.stack import SERVICE_DATABASES, Infra, database_url, running_infra

__all__ = ["SERVICE_DATABASES", "Infra", "database_url", "running_infra"]
