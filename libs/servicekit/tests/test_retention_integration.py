"""Outbox retention on the real PostgreSQL, as a service's runtime role with its database
migrated by the migration role: old published rows go, in batches; nothing unpublished or
recently published does; the runtime role still cannot delete a row itself."""

import asyncio
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import timedelta

import asyncpg
import pytest
from asgi_lifespan import LifespanManager
from devstack import postgres
from devstack.credentials import migrator, new_password, runtime
from devstack.stack import with_user
from httpx import ASGITransport, AsyncClient
from servicekit import db
from servicekit.retention import prune_outbox
from servicekit.service import ServiceDefinition, create_service_app
from servicekit.settings import ServiceSettings

from .support import NO_MIGRATIONS, eventually

pytestmark = pytest.mark.integration
WEEK = timedelta(days=7)
PRUNE = "SELECT servicekit_prune_outbox($1, $2)"


@dataclass(frozen=True)
class Database:
    runtime_url: str
    migration_url: str


@pytest.fixture
async def database(infra) -> Database:
    """A database provisioned as devstack provisions a service's (a migrator that owns it, a
    runtime role with DML only), not migrated yet."""
    name = f"ret_{uuid.uuid4().hex[:10]}"
    passwords = {migrator(name): new_password(), runtime(name): new_password()}
    await postgres.provision(infra.database_url("postgres"), [name], passwords)
    base = infra.database_url(name)
    return Database(
        with_user(base, runtime(name), passwords[runtime(name)]),
        with_user(base, migrator(name), passwords[migrator(name)]),
    )


@pytest.fixture
async def pool(database) -> AsyncIterator[asyncpg.Pool]:
    """The runtime role's pool on the migrated database."""
    pool = await db.create_pool(database.runtime_url, 2, 4)
    await db.migrate(pool, NO_MIGRATIONS, database.migration_url)
    yield pool
    await pool.close()


@pytest.fixture
async def owner(database, pool) -> AsyncIterator[asyncpg.Connection]:
    """The migration role, which writes rows with the ages a test needs."""
    conn = await asyncpg.connect(database.migration_url)
    yield conn
    await conn.close()


async def add_rows(
    conn: asyncpg.Connection, count: int, created: str, published: str | None
) -> None:
    """`count` outbox rows created `created` ago and published `published` ago (None: not)."""
    await conn.execute(
        "INSERT INTO outbox (id, topic, key, type, payload, created_at, published_at)"
        " SELECT gen_random_uuid(), 't', 'k', $3, '{}', now() - $1::text::interval,"
        " now() - $2::text::interval FROM generate_series(1, $4)",
        created, published, f"published {published} ago" if published else "unpublished", count,
    )  # fmt: skip


async def left(conn: asyncpg.Connection) -> dict[str, int]:
    rows = await conn.fetch("SELECT type, count(*) AS n FROM outbox GROUP BY type")
    return {r["type"]: r["n"] for r in rows}


async def test_published_rows_older_than_the_retention_are_deleted_in_batches(pool, owner) -> None:
    await add_rows(owner, 25, "8 days", "8 days")
    await add_rows(owner, 3, "7 days", "6 days 23 hours")
    assert await pool.fetchval(PRUNE, WEEK, 10) == 10  # one call: one batch at most
    assert await prune_outbox(pool, WEEK, 10) == 15
    assert await left(owner) == {"published 6 days 23 hours ago": 3}
    assert await prune_outbox(pool, WEEK, 10) == 0


async def test_unpublished_rows_of_any_age_and_recently_published_rows_are_kept(
    pool, owner
) -> None:
    await add_rows(owner, 4, "400 days", None)
    await add_rows(owner, 2, "2 hours", "59 minutes")
    await add_rows(owner, 5, "3 hours", "61 minutes")
    assert await prune_outbox(pool, timedelta(hours=1), 100) == 5  # the floor itself
    assert await left(owner) == {"unpublished": 4, "published 59 minutes ago": 2}


@pytest.mark.parametrize(
    ("older_than", "batch"),
    [(timedelta(minutes=59), 10), (timedelta(0), 10), (None, 10), (WEEK, 0), (WEEK, 100_001)],
)
async def test_an_age_under_an_hour_or_a_batch_out_of_bounds_is_refused(
    pool, owner, older_than, batch
) -> None:
    await add_rows(owner, 3, "2 hours", "90 minutes")
    with pytest.raises(asyncpg.InvalidParameterValueError):
        await pool.fetchval(PRUNE, older_than, batch)
    assert await left(owner) == {"published 90 minutes ago": 3}


async def test_replicas_pruning_at_once_delete_each_row_once(pool, owner) -> None:
    await add_rows(owner, 3_000, "9 days", "8 days")
    deleted = await asyncio.gather(*(prune_outbox(pool, WEEK, 100) for _ in range(3)))
    assert sum(deleted) == 3_000
    assert await left(owner) == {}


@pytest.mark.parametrize(
    "statement", ["DELETE FROM outbox", "TRUNCATE outbox", "DROP FUNCTION servicekit_prune_outbox"]
)
async def test_the_runtime_role_still_cannot_delete_outbox_rows_itself(
    pool, owner, statement
) -> None:
    await add_rows(owner, 2, "9 days", "8 days")
    with pytest.raises(asyncpg.InsufficientPrivilegeError):
        await pool.execute(statement)
    assert await left(owner) == {"published 8 days ago": 2}


async def test_the_function_runs_as_its_owner_with_its_search_path_and_only_they_may_call_it(
    database, pool, owner
) -> None:
    function = await owner.fetchrow(
        "SELECT pg_get_userbyid(proowner) AS owner, prosecdef, proconfig,"
        " ARRAY(SELECT coalesce(pg_get_userbyid(nullif(a.grantee, 0)), 'PUBLIC')"
        "  FROM aclexplode(proacl) a WHERE a.privilege_type = 'EXECUTE' ORDER BY 1) AS callers"
        " FROM pg_proc WHERE proname = 'servicekit_prune_outbox'"
    )
    owner_role = await owner.fetchval("SELECT current_user")
    runtime_role = await pool.fetchval("SELECT current_user")
    assert function["owner"] == owner_role and function["prosecdef"]
    assert function["proconfig"] == ["search_path=public, pg_temp"]
    assert function["callers"] == sorted([owner_role, runtime_role])


async def test_every_replica_of_a_service_prunes_its_outbox(infra, database, owner) -> None:
    settings = ServiceSettings(
        database_url=database.runtime_url,
        migration_database_url=database.migration_url,
        **infra.kafka_settings(),
        relay_enabled=False,
        outbox_retention_hours=24,
        outbox_prune_interval_seconds=0.1,
        outbox_prune_batch_size=7,
        environment="test",
        **infra.oidc.service_settings("assessment"),
    )
    definition = ServiceDefinition(name=f"kit-app-{uuid.uuid4().hex[:8]}", migrations=NO_MIGRATIONS)
    fatal: list[str] = []
    app = create_service_app(definition, settings, on_fatal=fatal.append)
    async with LifespanManager(app, startup_timeout=60) as manager:
        await add_rows(owner, 30, "3 days", "2 days")
        await add_rows(owner, 4, "2 days", None)
        await add_rows(owner, 6, "1 day", "23 hours")

        async def pruned() -> bool:
            return await left(owner) == {"unpublished": 4, "published 23 hours ago": 6}

        await eventually(pruned, timeout=10)
        async with AsyncClient(transport=ASGITransport(manager.app), base_url="http://kit") as c:
            metrics = (await c.get("/metrics")).text
            ready = (await c.get("/health/ready")).json()
    assert "carebenefit_outbox_pruned_total 30.0" in metrics
    assert ready["tasks"]["outbox-retention"]["state"] == "running"
    assert fatal == []
