"""The classification against what the real PostgreSQL and Kafka actually raise."""

import asyncio
import uuid

import asyncpg
import pytest
from aiokafka import AIOKafkaProducer
from devstack.postgres import restart_postgres, stop_postgres
from devstack.procs import free_ports
from devstack.stack import with_user
from servicekit.faults import infrastructure

from .support import cluster_of

pytestmark = pytest.mark.integration


async def raised(call) -> BaseException:
    try:
        await call
    except Exception as exc:
        return exc
    raise AssertionError("nothing was raised")


async def test_postgresql_faults_are_infrastructure_and_a_broken_constraint_is_not(
    infra,
    fresh_database,
) -> None:
    cluster_of(infra)  # it creates a role: the session's own server only
    first, second = [await asyncpg.connect(fresh_database) for _ in range(2)]
    await first.execute(
        "CREATE TABLE t (id int PRIMARY KEY, v int); INSERT INTO t VALUES (1, 0), (2, 0)"
    )
    seen = {}
    seen["unique violation"] = await raised(first.execute("INSERT INTO t VALUES (1, 0)"))
    # serialization failure: two serializable transactions read and write the same rows
    a, b = first.transaction(isolation="serializable"), second.transaction(isolation="serializable")
    await a.start(), await b.start()
    await first.fetch("SELECT sum(v) FROM t"), await second.fetch("SELECT sum(v) FROM t")
    await first.execute("UPDATE t SET v = 1 WHERE id = 1")
    await second.execute("UPDATE t SET v = 1 WHERE id = 2")
    await a.commit()
    seen["serialization failure"] = await raised(b.commit())
    # deadlock: each holds a row the other wants
    a, b = first.transaction(), second.transaction()
    await a.start(), await b.start()
    await first.execute("UPDATE t SET v = 2 WHERE id = 1")
    await second.execute("UPDATE t SET v = 2 WHERE id = 2")
    outcomes = await asyncio.gather(
        first.execute("UPDATE t SET v = 3 WHERE id = 2"),
        second.execute("UPDATE t SET v = 3 WHERE id = 1"),
        return_exceptions=True,
    )
    seen["deadlock"] = next(o for o in outcomes if isinstance(o, BaseException))
    await a.rollback(), await b.rollback()
    # administrator command: the backend is terminated under its client (asyncpg raises
    # ConnectionDoesNotExistError or, about a third of the time, InternalClientError "cannot
    # switch to state …", depending on when the server's message arrives)
    pid = await second.fetchval("SELECT pg_backend_pid()")
    await first.execute("SELECT pg_terminate_backend($1)", pid)
    seen["terminated"] = await raised(second.fetchval("SELECT 1"))
    seen["closed"] = await raised(second.fetchval("SELECT 1"))
    # too many connections: a role allowed one connection, connecting twice
    role = f"r_{uuid.uuid4().hex[:8]}"
    password = uuid.uuid4().hex
    await first.execute(f"CREATE ROLE {role} LOGIN CONNECTION LIMIT 1 PASSWORD '{password}'")
    as_role = with_user(fresh_database, role, password)
    held = await asyncpg.connect(as_role)
    seen["too many connections"] = await raised(asyncpg.connect(as_role))
    await held.close()
    await first.close()
    kinds = {what: (type(exc).__name__, infrastructure(exc)) for what, exc in seen.items()}
    print(kinds)
    assert kinds.pop("unique violation") == ("UniqueViolationError", None)
    assert kinds["serialization failure"] == ("SerializationError", "database")
    assert kinds["deadlock"] == ("DeadlockDetectedError", "database")
    assert kinds["too many connections"] == ("TooManyConnectionsError", "database")
    assert all(part == "database" for _, part in kinds.values()), kinds


async def test_a_server_shutting_down_or_gone_is_infrastructure(infra) -> None:
    cluster = cluster_of(infra)
    url = infra.database_url("postgres")
    held = await asyncpg.connect(url)  # a smart shutdown waits for this session to end
    stopping = asyncio.create_task(
        asyncio.to_thread(stop_postgres, cluster.cluster_dir, cluster.pid, 30.0, "smart")
    )
    try:
        while True:  # until the postmaster refuses new sessions
            try:
                await (await asyncpg.connect(url)).close()
            except asyncpg.CannotConnectNowError as exc:
                shutting_down = exc
                break
            await asyncio.sleep(0.05)
    finally:
        await held.close()
        await stopping
    gone = await raised(asyncpg.connect(url, timeout=5))
    await restart_postgres(cluster)
    assert "shutting down" in str(shutting_down)
    assert infrastructure(shutting_down) == "database"
    assert isinstance(gone, ConnectionRefusedError) and infrastructure(gone) == "network"


async def test_kafka_faults_are_infrastructure_and_an_oversized_record_is_not(infra) -> None:
    [closed] = free_ports(1)
    nobody = AIOKafkaProducer(bootstrap_servers=f"127.0.0.1:{closed}", request_timeout_ms=1000)
    unreachable = await raised(nobody.start())
    await nobody.stop()
    producer = AIOKafkaProducer(**infra.kafka_options(), request_timeout_ms=1000)
    await producer.start()
    try:
        no_topic = await raised(producer.send_and_wait(f"missing-{uuid.uuid4().hex}", b"x"))
        oversized = await raised(producer.send_and_wait("assessment.events", b"x" * 2_000_000))
    finally:
        await producer.stop()
    print({type(e).__name__: infrastructure(e) for e in (unreachable, no_topic, oversized)})
    assert infrastructure(unreachable) == "broker"
    assert infrastructure(no_topic) == "broker"  # metadata never came: a timeout
    assert type(oversized).__name__ == "MessageSizeTooLargeError"
    assert infrastructure(oversized) is None
