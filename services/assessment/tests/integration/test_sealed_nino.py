"""The NINO at rest on the real PostgreSQL: a token and a keyed hash in the table, found by the
hash, plaintext refused, and plaintext from before the migration sealed at start-up."""

import shutil
from datetime import date

import asyncpg
import pytest
from asgi_lifespan import LifespanManager
from assessment.adapters.sealed import NINO
from assessment.config import AssessmentSettings
from assessment.main import MIGRATIONS, create_app
from devstack.tokens import ASSESSOR, bearer
from httpx import ASGITransport, AsyncClient
from servicekit import db
from servicekit.crypto import is_token

from .support import PERSON, open_case

pytestmark = pytest.mark.integration
PLAIN = PERSON["nino"].replace(" ", "")


async def test_the_table_holds_a_token_and_a_keyed_hash_and_people_are_found_by_it(api, infra):
    case = await open_case(api)
    row = await api.pool.fetchrow("SELECT * FROM people WHERE person_id = $1", case["person_id"])
    assert is_token(row["nino"]) and PLAIN not in row["nino"]
    sealer = infra.sealer("assessment")
    assert row["nino_hash"] == sealer.digest(NINO, PLAIN) != PLAIN
    assert sealer.open(NINO, row["person_id"], row["nino"]) == PLAIN
    assert not [v for v in row.values() if isinstance(v, str) and PLAIN in v]

    again = await api.post("/cases", json={**PERSON, "nino": PLAIN.lower()})
    assert again.status_code == 201 and again.json()["person_id"] == case["person_id"]
    verified = await api.post(
        "/people/verify", json={"nino": PERSON["nino"], "date_of_birth": PERSON["date_of_birth"]}
    )
    assert verified.status_code == 200 and verified.json()["person_id"] == case["person_id"]


async def test_the_database_refuses_a_plaintext_nino(api):
    with pytest.raises(asyncpg.CheckViolationError, match="nino_sealed"):
        await api.pool.execute(
            "INSERT INTO people (person_id, nino, full_name, date_of_birth, area_code, nino_hash)"
            " VALUES ('P1', $1, 'Ada', '1955-12-10', 'E09000033', 'x')",
            PLAIN,
        )


async def test_plaintext_from_before_the_migration_is_sealed_and_hashed_at_start_up(
    infra, fresh_database, tmp_path, tokens
):
    for path in sorted(MIGRATIONS.glob("*.sql"))[:3]:  # up to 0003, before 0004 seals
        shutil.copy(path, tmp_path)
    pool = await db.create_pool(fresh_database, 1, 2)
    try:
        await db.migrate(pool, tmp_path)
        await pool.execute(
            "INSERT INTO people (person_id, nino, full_name, date_of_birth, area_code)"
            " VALUES ('Pold', $1, 'Ada', $2, 'E09000033')",
            PLAIN,
            date(1955, 12, 10),
        )
    finally:
        await pool.close()
    settings = AssessmentSettings(
        database_url=fresh_database,
        relay_enabled=False,
        environment="test",
        **infra.kafka_settings(),
        **infra.encryption_settings("assessment"),
        **infra.oidc.service_settings("assessment"),
    )
    app = create_app(settings)
    headers = bearer(await tokens.staff(ASSESSOR, "assessment"))
    async with LifespanManager(app, startup_timeout=60) as manager:
        async with AsyncClient(
            transport=ASGITransport(manager.app), base_url="http://t", headers=headers
        ) as api:
            verified = await api.post(
                "/people/verify", json={"nino": PLAIN, "date_of_birth": "1955-12-10"}
            )
            assert verified.status_code == 200, verified.text
            assert verified.json()["person_id"] == "Pold"
            stored = await app.app.app.state.runtime.pool.fetchval(
                "SELECT nino FROM people WHERE person_id = 'Pold'"
            )
    assert is_token(stored)
