"""Bank details at rest on the real PostgreSQL: ciphertext in the tables and the real numbers in
the bank file; after a key rotation old values still open, new writes use the new key and the
restart re-wraps the old ones; plaintext is refused, and plaintext from before the migration is
sealed at start-up."""

import shutil
from datetime import date

import asyncpg
import pytest
from payments.adapters.sealed import ACCOUNT_NUMBER, PAYEE_NAME, SORT_CODE
from payments.main import MIGRATIONS
from servicekit import db
from servicekit.crypto import EncryptionSettings, Keyset, is_token, key_id_of

from ..unit.builders import decision
from .support import running_service

pytestmark = pytest.mark.integration
RUN_DATE = date(2025, 6, 16)
BANK_DETAILS = (PAYEE_NAME, SORT_CODE, ACCOUNT_NUMBER)


async def stored(pool, person: str) -> dict[str, str]:
    row = await pool.fetchrow("SELECT * FROM bank_accounts WHERE person_id = $1", person)
    return {c.column: row[c.column] for c in BANK_DETAILS}


async def keys_of(pool, person: str) -> set[str]:
    return {key_id_of(v) for v in (await stored(pool, person)).values()}


async def bank_file(svc, run: dict) -> bytes:
    """The run's bank files joined: one per batch, and the run's two workers may each claim a
    batch of the people due."""
    assert run["files"], run
    return b"".join([await svc.bank_file(run, file_id) for file_id in run["files"]])


async def test_bank_details_are_ciphertext_in_the_tables_and_plain_in_the_bank_file(svc):
    await svc.deliver(decision(person="p1", decision_id="d-p1"))
    await svc.bank_account("p1", account="31926819")
    for column, value in (await stored(svc.pool, "p1")).items():
        assert is_token(value), column
    row = await svc.pool.fetchrow("SELECT * FROM bank_accounts WHERE person_id = 'p1'")
    assert not {"31926819", "404784", "Person p1"} & {str(v) for v in row.values()}

    svc.clock.today = RUN_DATE
    run = await svc.run(RUN_DATE, expect=201)
    content = await svc.pool.fetchval("SELECT content FROM bank_files")
    assert is_token(content) and "31926819" not in content and "<?xml" not in content
    xml = await bank_file(svc, run)
    assert b"<Id>31926819</Id>" in xml and b"<MmbId>404784</MmbId>" in xml
    assert b"<Nm>Person p1</Nm>" in xml


async def test_the_database_refuses_plaintext_bank_details(svc, infra):
    sealer = infra.sealer("payments")
    with pytest.raises(asyncpg.CheckViolationError, match="account_number_sealed"):
        await svc.pool.execute(
            "INSERT INTO bank_accounts (person_id, payee_name, sort_code, account_number)"
            " VALUES ('p9', $1, $2, '12345678')",
            *[sealer.seal(c, "p9", "x") for c in BANK_DETAILS[:2]],
        )


async def test_after_rotation_old_values_open_and_new_writes_use_the_new_key(
    infra, fresh_database, tmp_path, tokens
):
    old = Keyset.generate()
    new = old.with_new_key()
    async with running_service(infra, fresh_database, tmp_path, tokens, keys=old.settings()) as svc:
        await svc.deliver(*(decision(person=p, decision_id=f"d-{p}") for p in ("p1", "p2", "p3")))
        await svc.bank_account("p1", account="11111111")
    async with running_service(infra, fresh_database, tmp_path, tokens, keys=new.settings()) as svc:
        assert await keys_of(svc.pool, "p1") == {new.current}  # re-wrapped at start-up
        # A replica still on the old key writes p2's details during the rollout.
        old_sealer = EncryptionSettings(**old.settings()).sealer()
        details = ("Person p2", "404784", "22222222")
        await svc.pool.execute(
            "INSERT INTO bank_accounts (person_id, payee_name, sort_code, account_number)"
            " VALUES ('p2', $1, $2, $3)",
            *[old_sealer.seal(c, "p2", v) for c, v in zip(BANK_DETAILS, details, strict=True)],
        )
        await svc.bank_account("p3", account="33333333")
        assert await keys_of(svc.pool, "p3") == {new.current}

        svc.clock.today = RUN_DATE
        xml = await bank_file(svc, await svc.run(RUN_DATE, expect=201))
        for number in (b"11111111", b"22222222", b"33333333"):
            assert b"<Id>" + number + b"</Id>" in xml
    async with running_service(infra, fresh_database, tmp_path, tokens, keys=new.settings()) as svc:
        assert await keys_of(svc.pool, "p2") == {new.current}  # the old replica's, re-wrapped


async def test_plaintext_from_before_the_migration_is_sealed_at_start_up(
    infra, fresh_database, tmp_path, tokens
):
    before = tmp_path / "migrations-before"
    before.mkdir()
    for path in sorted(MIGRATIONS.glob("*.sql"))[:4]:  # up to 0004, before 0005 seals
        shutil.copy(path, before)
    pool = await db.create_pool(fresh_database, 1, 2)
    try:
        await db.migrate(pool, before)
        await pool.execute(
            "INSERT INTO bank_accounts (person_id, payee_name, sort_code, account_number)"
            " VALUES ('p1', 'Ada Lovelace', '404784', '12345678')"
        )
    finally:
        await pool.close()
    async with running_service(infra, fresh_database, tmp_path / "files", tokens) as svc:
        sealed = await stored(svc.pool, "p1")
        sealer = infra.sealer("payments")
        opened = [sealer.open(c, "p1", sealed[c.column]) for c in BANK_DETAILS]
        assert opened == ["Ada Lovelace", "404784", "12345678"]
        await svc.deliver(decision(person="p1", decision_id="d-p1"))
        svc.clock.today = RUN_DATE
        assert b"<Id>12345678</Id>" in await bank_file(svc, await svc.run(RUN_DATE, expect=201))
