"""Bringing sealed columns up to date on the real PostgreSQL: plaintext sealed and hashed,
old keys re-wrapped, writes made meanwhile never overwritten, resumable, and the command."""

import asyncio
import os
import sys

import asyncpg
import pytest
from servicekit.crypto import (
    EncryptionSettings,
    Keyset,
    SealedColumn,
    Sealer,
    bring_up_to_date,
    is_token,
    key_id_of,
)
from servicekit.crypto.rotation import remaining

pytestmark = pytest.mark.integration
NINO = SealedColumn("people", "nino", "person_id", lookup="nino_hash")


def sealer_of(keyset: Keyset) -> Sealer:
    return EncryptionSettings(**keyset.settings()).sealer()


@pytest.fixture
async def conn(fresh_database):
    conn = await asyncpg.connect(fresh_database)
    await conn.execute(
        "CREATE TABLE people (person_id text PRIMARY KEY, nino text, nino_hash text UNIQUE)"
    )
    await conn.executemany(
        "INSERT INTO people (person_id, nino) VALUES ($1, $2)",
        [(f"P{n:03}", f"AB{n:06}C") for n in range(25)],
    )
    yield conn
    await conn.close()


async def values(conn) -> dict[str, tuple[str, str]]:
    rows = await conn.fetch("SELECT person_id, nino, nino_hash FROM people")
    return {r["person_id"]: (r["nino"], r["nino_hash"]) for r in rows}


async def test_plaintext_is_sealed_and_hashed_then_rewrapped_under_a_new_key(conn):
    first = Keyset.generate()
    sealer = sealer_of(first)
    progress = await bring_up_to_date(conn, NINO, sealer, batch_size=7)
    assert (progress.sealed, progress.hashed, progress.rewrapped) == (25, 25, 0)
    stored = await values(conn)
    for person_id, (token, digest) in stored.items():
        assert is_token(token) and key_id_of(token) == first.current
        nino = sealer.open(NINO, person_id, token)
        assert nino == f"AB{int(person_id[1:]):06}C" and digest == sealer.digest(NINO, nino)
    assert (await bring_up_to_date(conn, NINO, sealer)).changed == 0

    second = first.with_new_key()
    rotated = sealer_of(second)
    assert await remaining(conn, NINO, rotated) == 25
    progress = await bring_up_to_date(conn, NINO, rotated, batch_size=10)
    assert (progress.rewrapped, progress.sealed, progress.hashed) == (25, 0, 0)
    after = await values(conn)
    for person_id, (token, digest) in after.items():
        assert key_id_of(token) == second.current and digest == stored[person_id][1]
        assert rotated.open(NINO, person_id, token) == sealer.open(
            NINO, person_id, stored[person_id][0]
        )
    assert await remaining(conn, NINO, rotated) == 0


class WritesMeanwhile:
    """A connection on which the service writes a row between the tool's read and update."""

    def __init__(self, conn, sealer) -> None:
        self.conn, self.sealer = conn, sealer

    async def fetchval(self, *args):
        return await self.conn.fetchval(*args)

    async def fetch(self, query, *args):
        if query.startswith("UPDATE"):
            token = self.sealer.seal(NINO, "P003", "ZZ999999D")
            await self.conn.execute("UPDATE people SET nino = $1 WHERE person_id = 'P003'", token)
        return await self.conn.fetch(query, *args)


async def test_a_write_made_meanwhile_is_kept_and_counted(conn):
    keyset = Keyset.generate()
    sealer = sealer_of(keyset)
    progress = await bring_up_to_date(WritesMeanwhile(conn, sealer), NINO, sealer, batch_size=5)
    assert progress.changed_meanwhile == 1 and progress.sealed == 24
    token, digest = (await values(conn))["P003"]
    assert sealer.open(NINO, "P003", token) == "ZZ999999D" and digest is None
    assert await remaining(conn, NINO, sealer) == 1  # its hash: picked up by the next run
    assert (await bring_up_to_date(conn, NINO, sealer)).hashed == 1


class FailsOnUpdate(WritesMeanwhile):
    """A connection lost at the `n`th batch's update (as if the process were killed)."""

    def __init__(self, conn, n: int) -> None:
        self.conn, self.updates, self.n = conn, 0, n

    async def fetch(self, query, *args):
        if query.startswith("UPDATE"):
            self.updates += 1
            if self.updates == self.n:
                raise ConnectionResetError("connection lost")
        return await self.conn.fetch(query, *args)


async def test_an_interrupted_run_is_resumed_by_running_again(conn):
    sealer = sealer_of(Keyset.generate())
    with pytest.raises(ConnectionResetError):
        await bring_up_to_date(FailsOnUpdate(conn, 3), NINO, sealer, batch_size=4)
    assert await remaining(conn, NINO, sealer) == 25 - 8
    assert (await bring_up_to_date(conn, NINO, sealer)).sealed == 25 - 8
    assert await remaining(conn, NINO, sealer) == 0


async def test_the_rotate_command_reads_keys_from_the_environment(conn, fresh_database):
    old = Keyset.generate()
    await bring_up_to_date(conn, NINO, sealer_of(old))
    new = old.with_new_key()
    env = {**os.environ, **new.env("ASSESSMENT_"), "ASSESSMENT_DATABASE_URL": fresh_database}
    command = [sys.executable, "-m", "servicekit.crypto", "rotate", "--env-prefix", "ASSESSMENT_"]
    process = await asyncio.create_subprocess_exec(
        *command,
        *("--table", "people", "--column", "nino:nino_hash"),
        env=env,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    out, err = await process.communicate()
    assert process.returncode == 0, err.decode()
    assert f"25 values re-wrapped under key {new.current}" in out.decode()
    assert "0 rows left" in out.decode()
    assert {key_id_of(t) for t, _ in (await values(conn)).values()} == {new.current}

    no_keys = {k: v for k, v in env.items() if not k.startswith("ASSESSMENT_ENCRYPTION")}
    refused = await asyncio.create_subprocess_exec(
        *command,
        *("--table", "people", "--column", "nino"),
        env=no_keys,
        stderr=asyncio.subprocess.PIPE,
    )
    _, err = await refused.communicate()
    assert refused.returncode == 2 and "ASSESSMENT_ENCRYPTION_KEYS" in err.decode()
