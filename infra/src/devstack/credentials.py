"""Who may connect to the local stack, and with which password.

Kafka principals: `admin` (devstack's own, the only super user), one per service, the
benefits-system simulator and the operations view. PostgreSQL roles: the `postgres` superuser
(devstack's own) and, per service database, `<db>_migrator` (owns the schema, runs migrations)
and `<db>_runtime` (the service's pool: DML only). Encryption keys: one `Keyset` per service
that seals personal data (servicekit.crypto). Passwords and keys are generated when a stack's
data is created and kept beside it, never in code: `.local/secrets/credentials.json` (0600) for
`make up`, in memory for test sessions.
"""

import json
import secrets
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path

from servicekit.crypto import Keyset

from devstack.kafka_acls import ADMIN, PRINCIPALS
from devstack.os_user import SUPERUSER
from devstack.pki import write_private

ENCRYPTING = ("assessment", "payments")
"""The apps that seal personal data at rest, each with its own keys."""


def migrator(database: str) -> str:
    return f"{database}_migrator"


def runtime(database: str) -> str:
    return f"{database}_runtime"


def new_password() -> str:
    """160 random bits as hex: safe unquoted in URLs, JAAS files and Kafka's tool arguments."""
    return secrets.token_hex(20)


@dataclass(frozen=True)
class Credentials:
    kafka: dict[str, str] = field(default_factory=dict, repr=False)  # principal -> password
    postgres: dict[str, str] = field(default_factory=dict, repr=False)  # role -> password
    encryption: dict[str, Keyset] = field(default_factory=dict, repr=False)  # app -> its keys

    @classmethod
    def generate(cls, databases: Iterable[str]) -> "Credentials":
        roles = [SUPERUSER, *(r for db in databases for r in (migrator(db), runtime(db)))]
        return cls(
            kafka={name: new_password() for name in (ADMIN, *PRINCIPALS)},
            postgres={role: new_password() for role in roles},
            encryption={app: Keyset.generate() for app in ENCRYPTING},
        )

    def complete(self, databases: Iterable[str]) -> "Credentials":
        """These credentials plus passwords and keys for anyone they lack."""
        fresh = Credentials.generate(databases)
        return Credentials(
            {**fresh.kafka, **self.kafka},
            {**fresh.postgres, **self.postgres},
            {**fresh.encryption, **self.encryption},
        )

    def with_password(self, kind: str, name: str, password: str) -> "Credentials":
        if kind == "kafka":
            return replace(self, kafka={**self.kafka, name: password})
        return replace(self, postgres={**self.postgres, name: password})

    def with_keyset(self, app: str, keyset: Keyset) -> "Credentials":
        return replace(self, encryption={**self.encryption, app: keyset})

    def save(self, path: Path) -> None:
        keys = {app: keyset.to_dict() for app, keyset in self.encryption.items()}
        data = {"kafka": self.kafka, "postgres": self.postgres, "encryption": keys}
        write_private(path, json.dumps(data).encode())

    @classmethod
    def load(cls, path: Path) -> "Credentials":
        data = json.loads(path.read_text())
        keys = {app: Keyset.from_dict(k) for app, k in data.get("encryption", {}).items()}
        return cls(kafka=data["kafka"], postgres=data["postgres"], encryption=keys)
