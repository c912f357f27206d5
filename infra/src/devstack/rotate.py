"""`python -m devstack rotate NAME`: a new password for one Kafka principal or PostgreSQL role
of the running `.local/` stack, set on the server and saved in `.local/secrets/credentials.json`.
Processes already connected keep their sessions; restart them (`make up`) to use the new one.
The Kafka `admin` is the broker's own identity: recreate the stack to change it.

`python -m devstack rotate-key APP`: a new current encryption key for a service that seals
personal data (its old keys are kept, so what they sealed still opens); restarted (`make up`),
the service writes with the new key and re-wraps the old values at start-up."""

import asyncio
from pathlib import Path

import asyncpg

from devstack import kafka_admin, local, postgres
from devstack.credentials import ENCRYPTING, Credentials, new_password
from devstack.kafka_acls import PRINCIPALS


class RotationError(RuntimeError):
    pass


async def rotate(name: str) -> str:
    """Returns which server the name was rotated on."""
    state = local.read_state()
    if state is None:
        raise RotationError("the stack is not running (make up)")
    infra = local.load_infra(state)
    password = new_password()
    if name in PRINCIPALS:
        admin = infra.kafka_admin()
        await asyncio.to_thread(kafka_admin.upsert_users, admin, {name: password})
        credentials, where = infra.credentials.with_password("kafka", name, password), "Kafka"
    elif name in infra.credentials.postgres:
        connection = await asyncpg.connect(infra.database_url("postgres"))
        try:
            await postgres.set_password(connection, name, password)
        finally:
            await connection.close()
        credentials, where = infra.credentials.with_password("pg", name, password), "PostgreSQL"
    else:
        known = [*PRINCIPALS, *infra.credentials.postgres]
        raise RotationError(f"no principal or role {name!r}; one of: {', '.join(known)}")
    Credentials.save(credentials, local.credentials_path())
    return where


def rotate_key(app: str, path: Path | None = None) -> str:
    """Saves `app`'s keyset with a new current key; returns the new key's id."""
    path = path or local.credentials_path()
    if not path.is_file():
        raise RotationError("no credentials yet (make up)")
    credentials = Credentials.load(path)
    if app not in credentials.encryption:
        raise RotationError(f"{app!r} seals nothing; one of: {', '.join(ENCRYPTING)}")
    keyset = credentials.encryption[app].with_new_key()
    credentials.with_keyset(app, keyset).save(path)
    return keyset.current
