"""The real PostgreSQL's error texts, logged as services log them, hold no personal data."""

import io
import logging

import asyncpg
import pytest
from servicekit.redaction import install_log_redaction

pytestmark = pytest.mark.integration
NINO, EMAIL, PHONE = "JT123456C", "ada@example.org", "07700 900123"


@pytest.fixture
def output():
    install_log_redaction()
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    log = logging.getLogger("test.db")
    log.addHandler(handler)
    yield stream
    log.removeHandler(handler)


async def test_a_unique_violation_on_a_nino_leaves_no_nino_in_the_logs(fresh_database, output):
    conn = await asyncpg.connect(fresh_database)
    try:
        await conn.execute(
            "CREATE TABLE people (nino text UNIQUE, email text NOT NULL, phone text)"
        )
        await conn.execute("INSERT INTO people VALUES ($1, $2, $3)", NINO, EMAIL, PHONE)
        with pytest.raises(asyncpg.UniqueViolationError) as duplicate:
            await conn.execute("INSERT INTO people VALUES ($1, $2, $3)", NINO, EMAIL, PHONE)
        with pytest.raises(asyncpg.NotNullViolationError) as incomplete:
            await conn.execute("INSERT INTO people VALUES ($1, NULL, $2)", "QQ123456A", PHONE)
    finally:
        await conn.close()
    assert NINO in str(duplicate.value) and PHONE in str(incomplete.value)  # the server's texts
    log = logging.getLogger("test.db")
    for error in (duplicate.value, incomplete.value):
        try:
            raise error
        except asyncpg.PostgresError as exc:
            log.exception("could not add a person: %s", exc)
    text = output.getvalue()
    for value in (NINO, "QQ123456A", EMAIL, PHONE):
        assert value not in text
    assert "Key (nino)=([redacted]) already exists" in text
    assert "Failing row contains ([redacted])" in text
    assert text.count("UniqueViolationError") >= 1
