"""On the session's real PostgreSQL: TLS and passwords only; per service database a migration
role that owns the schema and a runtime role with DML only, and no way into another service's
database."""

from pathlib import Path

import asyncpg
import pytest
from devstack import postgres
from devstack.credentials import migrator, new_password, runtime
from devstack.stack import with_user
from payments.main import MIGRATIONS as PAYMENTS_MIGRATIONS
from servicekit import db

pytestmark = pytest.mark.integration
DENIED = asyncpg.InsufficientPrivilegeError


@pytest.fixture
async def payments_runtime(infra):
    """A connection as payments' runtime role, its database migrated by payments' migrator."""
    pool = await db.create_pool(infra.runtime_database_url("payments"), 1, 2)
    try:
        await db.migrate(pool, PAYMENTS_MIGRATIONS, infra.migration_database_url("payments"))
        async with pool.acquire() as connection:
            yield connection
    finally:
        await pool.close()


@pytest.mark.parametrize(
    "statement",
    [
        "DROP TABLE outbox",
        "DROP TABLE awards",
        "CREATE TABLE smuggled (id int)",
        "ALTER TABLE awards ADD COLUMN smuggled int",
        "UPDATE outbox SET payload = '{}'",
        "DELETE FROM outbox",
        "DELETE FROM inbox",
        "UPDATE inbox SET event_type = 'x'",
        "DELETE FROM dead_letters",
        "UPDATE dead_letters SET reason = 'x'",
        "TRUNCATE awards",
        "SELECT * FROM schema_migrations",
    ],
)
async def test_the_runtime_role_is_refused(payments_runtime, statement) -> None:
    with pytest.raises(DENIED):
        await payments_runtime.execute(statement)


async def test_the_runtime_role_does_its_work(payments_runtime) -> None:
    work = payments_runtime.transaction()
    await work.start()
    try:
        await payments_runtime.execute(
            "INSERT INTO outbox (id, topic, key, type, payload)"
            " VALUES (gen_random_uuid(), 't', 'k', 'x', '{}')"
        )
        await payments_runtime.execute("UPDATE outbox SET published_at = now()")
        await payments_runtime.execute(
            "SELECT position FROM outbox WHERE published_at IS NULL FOR UPDATE SKIP LOCKED"
        )
        await payments_runtime.execute(
            "INSERT INTO inbox (consumer, source, event_id, event_type) VALUES ('c', 's', 'e', 't')"
        )
        await payments_runtime.execute(
            'INSERT INTO dead_letters (consumer, topic, partition, "offset", error_class,'
            " reason, attempts) VALUES ('c', 't', 0, 1, 'E', 'why', 1)"
        )
        await payments_runtime.execute("UPDATE dead_letters SET published_at = now()")
        await payments_runtime.execute("DELETE FROM awards WHERE false")
        # old published outbox rows only through the kit's function (servicekit.retention)
        await payments_runtime.execute("SELECT servicekit_prune_outbox('7 days', 10)")
    finally:
        await work.rollback()


async def test_migrations_are_owned_by_the_migrator_and_the_runtime_role_owns_nothing(
    infra,
    payments_runtime,
) -> None:
    owners = await payments_runtime.fetch(
        "SELECT DISTINCT pg_get_userbyid(c.relowner) AS owner FROM pg_class c"
        " JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'public'"
    )
    assert [r["owner"] for r in owners] == [migrator("payments")]
    owned = await payments_runtime.fetchval(
        "SELECT (SELECT count(*) FROM pg_class WHERE relowner = r.oid)"
        " + (SELECT count(*) FROM pg_namespace WHERE nspowner = r.oid)"
        " + (SELECT count(*) FROM pg_database WHERE datdba = r.oid)"
        " + (SELECT count(*) FROM pg_proc WHERE proowner = r.oid)"
        " FROM pg_roles r WHERE r.rolname = current_user"
    )
    assert owned == 0
    applied = await asyncpg.connect(infra.migration_database_url("payments"))
    try:
        assert await applied.fetchval("SELECT count(*) FROM schema_migrations") > 0
    finally:
        await applied.close()


@pytest.mark.parametrize("role", ["runtime", "migration"])
async def test_no_role_of_one_service_may_connect_to_another_services_database(infra, role) -> None:
    url = getattr(infra, f"{role}_database_url")("payments")
    other = url.replace("/payments?", "/assessment?")
    with pytest.raises(DENIED, match="permission denied for database"):
        await asyncpg.connect(other)


async def test_no_connection_without_tls_or_the_right_password(infra) -> None:
    url = infra.runtime_database_url("payments")
    with pytest.raises(asyncpg.InvalidAuthorizationSpecificationError, match="no encryption"):
        await asyncpg.connect(url.replace("sslmode=verify-full", "sslmode=disable"))
    with pytest.raises(asyncpg.InvalidPasswordError):
        await asyncpg.connect(with_user(url, runtime("payments"), "not-the-password"))
    with pytest.raises(asyncpg.InvalidPasswordError):
        await asyncpg.connect(with_user(infra.database_url("postgres"), "postgres", "postgres"))
    connection = await asyncpg.connect(url)
    try:
        assert await connection.fetchval("SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()")
    finally:
        await connection.close()


async def test_a_table_a_migration_declares_insert_only_can_only_be_added_to(
    infra,
    tmp_path: Path,
) -> None:
    name = f"sec_{tmp_path.name[-8:].lower().replace('-', '_')}"
    passwords = {migrator(name): new_password(), runtime(name): new_password()}
    await postgres.provision(infra.database_url("postgres"), [name], passwords)
    (tmp_path / "0001_journal.sql").write_text(
        "CREATE TABLE journal (id bigserial PRIMARY KEY, action text NOT NULL);\n"
        "INSERT INTO servicekit_insert_only (table_name) VALUES ('journal');\n"
    )
    base = infra.database_url(name)
    pool = await db.create_pool(with_user(base, runtime(name), passwords[runtime(name)]), 1, 1)
    try:
        await db.migrate(pool, tmp_path, with_user(base, migrator(name), passwords[migrator(name)]))
        await pool.execute("INSERT INTO journal (action) VALUES ('read')")
        assert await pool.fetchval("SELECT action FROM journal") == "read"
        for statement in ("UPDATE journal SET action = 'none'", "DELETE FROM journal"):
            with pytest.raises(DENIED):
                await pool.execute(statement)
        # the kit's own audit trail is declared the same way
        for statement in (
            "UPDATE audit SET purpose = 'none'",
            "DELETE FROM audit",
            "TRUNCATE audit",
        ):
            with pytest.raises(DENIED):
                await pool.execute(statement)
    finally:
        await pool.close()
