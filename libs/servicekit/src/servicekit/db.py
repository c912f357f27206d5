"""The asyncpg pool and forward-only SQL migrations, applied at start-up under a lock."""

import json
from pathlib import Path

import asyncpg

KIT_MIGRATIONS = Path(__file__).parent / "migrations"
_MIGRATION_LOCK = 7_301_001  # any constant; serialises replicas migrating at once


async def _init_connection(conn: asyncpg.Connection) -> None:
    for name in ("json", "jsonb"):
        await conn.set_type_codec(name, encoder=json.dumps, decoder=json.loads, schema="pg_catalog")


async def create_pool(dsn: str, min_size: int = 2, max_size: int = 10) -> asyncpg.Pool:
    return await asyncpg.create_pool(
        dsn, min_size=min_size, max_size=max_size, init=_init_connection, command_timeout=60
    )


async def migrate(pool: asyncpg.Pool, service_migrations: Path) -> list[str]:
    """Apply the kit's migrations then the service's, each file once, in name order."""
    applied_now: list[str] = []
    async with pool.acquire() as conn, conn.transaction():
        await conn.execute("SELECT pg_advisory_xact_lock($1)", _MIGRATION_LOCK)
        await conn.execute(
            "CREATE TABLE IF NOT EXISTS schema_migrations ("
            " name text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())"
        )
        done = {r["name"] for r in await conn.fetch("SELECT name FROM schema_migrations")}
        for namespace, directory in (
            ("servicekit", KIT_MIGRATIONS),
            ("service", service_migrations),
        ):
            for path in sorted(directory.glob("*.sql")):
                name = f"{namespace}/{path.name}"
                if name in done:
                    continue
                await conn.execute(path.read_text())
                await conn.execute("INSERT INTO schema_migrations (name) VALUES ($1)", name)
                applied_now.append(name)
    return applied_now
