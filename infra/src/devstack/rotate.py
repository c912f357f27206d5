"""`python -m devstack rotate NAME`: a new password for one Kafka principal or PostgreSQL role
of the running `.local/` stack, set on the server and saved in `.local/secrets/credentials.json`.
Processes already connected keep their sessions; restart them (`make up`) to use the new one.
The Kafka `admin` is the broker's own identity: recreate the stack to change it."""

import asyncio

import asyncpg

from devstack import kafka_admin, local, postgres
from devstack.credentials import Credentials, new_password
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
