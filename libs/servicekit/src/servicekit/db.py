"""The asyncpg pool and forward-only SQL migrations, applied at start-up under a lock by the
migration role, which owns the schema; the runtime role (the pool's) gets DML only."""

import json
import weakref
from pathlib import Path

import asyncpg

KIT_MIGRATIONS = Path(__file__).parent / "migrations"
_MIGRATION_LOCK = 7_301_001  # any constant; serialises replicas migrating at once
_KIT_TABLES = ("schema_migrations", "servicekit_insert_only")  # the runtime role never needs
_RUNTIME_FUNCTIONS = ("servicekit_prune_outbox(interval, integer)",)  # SECURITY DEFINER: 0006


async def _init_connection(conn: asyncpg.Connection) -> None:
    for name in ("json", "jsonb"):
        await conn.set_type_codec(name, encoder=json.dumps, decoder=json.loads, schema="pg_catalog")


_SESSION_STATE: "weakref.WeakSet[asyncpg.Connection]" = weakref.WeakSet()


def keeps_session_state(conn: asyncpg.Connection) -> None:
    """Say that this pooled connection takes a session-level lock or listens on a channel: the
    pool resets it in full when it comes back. Call it before taking the lock."""
    _SESSION_STATE.add(getattr(conn, "_con", conn))  # a pool's proxy: the connection it wraps


async def _reset(conn: asyncpg.Connection) -> None:
    """What the pool does to a connection coming back, after asyncpg has rolled back any open
    transaction and dropped its listeners: the full reset (advisory locks, LISTEN, cursors,
    settings) only for a connection marked by `keeps_session_state`. The rest only ever run
    transactions (their locks and settings end with them), and the full reset would be one
    more round trip and four commands for every unit of work."""
    if conn in _SESSION_STATE:
        _SESSION_STATE.discard(conn)
        await conn.execute(conn.get_reset_query())


async def create_pool(dsn: str, min_size: int = 2, max_size: int = 10) -> asyncpg.Pool:
    return await asyncpg.create_pool(
        dsn,
        min_size=min_size,
        max_size=max_size,
        init=_init_connection,
        reset=_reset,
        command_timeout=60,
    )


async def migrate(
    pool: asyncpg.Pool, service_migrations: Path, migration_dsn: str | None = None
) -> list[str]:
    """Apply the kit's migrations then the service's, each file once, in name order, as the
    role of `migration_dsn` (None: the pool's own); then, when the pool's role is another,
    ordinary role, grant it exactly the runtime privileges (`grant_runtime`)."""
    runtime_role, superuser = await pool.fetchrow(
        "SELECT current_user, rolsuper FROM pg_roles WHERE rolname = current_user"
    )
    conn = await (asyncpg.connect(migration_dsn) if migration_dsn else pool.acquire())
    try:
        async with conn.transaction():
            applied = await _apply(conn, service_migrations)
            owner = await conn.fetchval("SELECT current_user")
            if owner != runtime_role and not superuser:
                await grant_runtime(conn, runtime_role)
    finally:
        await (conn.close() if migration_dsn else pool.release(conn))
    return applied


async def _apply(conn: asyncpg.Connection, service_migrations: Path) -> list[str]:
    applied_now: list[str] = []
    await conn.execute("SELECT pg_advisory_xact_lock($1)", _MIGRATION_LOCK)
    await conn.execute(
        "CREATE TABLE IF NOT EXISTS schema_migrations ("
        " name text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())"
    )
    done = {r["name"] for r in await conn.fetch("SELECT name FROM schema_migrations")}
    for namespace, directory in (("servicekit", KIT_MIGRATIONS), ("service", service_migrations)):
        for path in sorted(directory.glob("*.sql")):
            name = f"{namespace}/{path.name}"
            if name in done:
                continue
            await conn.execute(path.read_text())
            await conn.execute("INSERT INTO schema_migrations (name) VALUES ($1)", name)
            applied_now.append(name)
    return applied_now


def _ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


async def grant_runtime(conn: asyncpg.Connection, role: str) -> None:
    """Reset `role`'s privileges on the public schema's tables, views and sequences to: SELECT,
    INSERT, UPDATE, DELETE on each table (SELECT on views), but on the tables declared in
    `servicekit_insert_only` only SELECT, INSERT and UPDATE of the declared columns; USAGE on
    sequences; nothing on the kit's own tables; EXECUTE on the kit's functions that do for it,
    within their limits, what its grants do not (deleting old published outbox rows). No DDL:
    it owns nothing."""
    who = _ident(role)
    relations = await conn.fetch(
        "SELECT c.relname, c.relkind FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
        " WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p', 'v', 'm')"
    )
    insert_only = {
        r["table_name"]: r["updatable_columns"]
        for r in await conn.fetch(
            "SELECT table_name, updatable_columns FROM servicekit_insert_only"
        )
    }
    unknown = set(insert_only) - {r["relname"] for r in relations}
    if unknown:
        raise ValueError(
            f"servicekit_insert_only names no such table: {', '.join(sorted(unknown))}"
        )
    statements = [
        f"REVOKE ALL ON ALL TABLES IN SCHEMA public FROM {who}",
        f"REVOKE ALL ON ALL SEQUENCES IN SCHEMA public FROM {who}",
        f"GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO {who}",
        f"REVOKE ALL ON ALL FUNCTIONS IN SCHEMA public FROM {who}",
        *(f"GRANT EXECUTE ON FUNCTION {f} TO {who}" for f in _RUNTIME_FUNCTIONS),
    ]
    for relation in relations:
        name, table = relation["relname"], _ident(relation["relname"])
        if name in _KIT_TABLES:
            continue
        if relation["relkind"] in ("v", "m"):
            statements.append(f"GRANT SELECT ON {table} TO {who}")
        elif name in insert_only:
            statements.append(f"GRANT SELECT, INSERT ON {table} TO {who}")
            if columns := insert_only[name]:
                listed = ", ".join(_ident(c) for c in columns)
                statements.append(f"GRANT UPDATE ({listed}) ON {table} TO {who}")
        else:
            statements.append(f"GRANT SELECT, INSERT, UPDATE, DELETE ON {table} TO {who}")
    await conn.execute(";\n".join(statements))
