"""The ledger table enforces double entry itself: append-only, whole balanced journals."""

import uuid

import asyncpg
import pytest

pytestmark = pytest.mark.integration
COLUMNS = ("journal_id", "line", "kind", "account", "person_id", "debit_pence", "credit_pence")


def journal(*lines: tuple[str, int, int], journal_id: uuid.UUID | None = None) -> list[tuple]:
    journal_id = journal_id or uuid.uuid4()
    return [
        (journal_id, n, "test", account, "p1", debit, credit)
        for n, (account, debit, credit) in enumerate(lines, start=1)
    ]


async def post(pool, records: list[tuple]) -> None:
    await pool.copy_records_to_table("ledger_postings", records=records, columns=COLUMNS)


async def test_balanced_journals_post_and_unbalanced_ones_are_refused(svc) -> None:
    await post(svc.pool, journal(("award_expense", 100, 0), ("person:p1:payable", 0, 100)))
    with pytest.raises(asyncpg.CheckViolationError, match="not a whole balanced journal"):
        await post(svc.pool, journal(("award_expense", 100, 0), ("person:p1:payable", 0, 99)))
    with pytest.raises(asyncpg.CheckViolationError, match="not a whole balanced journal"):
        await post(svc.pool, journal(("award_expense", 100, 0)))
    assert await svc.pool.fetchval("SELECT count(*) FROM ledger_postings") == 2


async def test_several_journals_in_one_statement_are_each_checked(svc) -> None:
    good = journal(("award_expense", 5, 0), ("person:p1:payable", 0, 5))
    bad = journal(("award_expense", 7, 0), ("person:p1:payable", 0, 6))
    other_bad = journal(("bank_clearing", 0, 1), ("person:p1:payable", 1, 0))[:1] + journal(
        ("person:p1:payable", 1, 0)
    )  # two half-journals that balance only together
    for records in (good + bad, other_bad):
        with pytest.raises(asyncpg.CheckViolationError):
            await post(svc.pool, records)
    assert await svc.pool.fetchval("SELECT count(*) FROM ledger_postings") == 0


async def test_a_journal_can_be_neither_posted_twice_nor_extended(svc) -> None:
    journal_id = uuid.uuid4()
    lines = journal(("award_expense", 5, 0), ("person:p1:payable", 0, 5), journal_id=journal_id)
    await post(svc.pool, lines)
    with pytest.raises(asyncpg.UniqueViolationError):
        await post(svc.pool, lines)
    extension = [
        (journal_id, 3, "test", "award_expense", "p1", 1, 0),
        (journal_id, 4, "test", "person:p1:payable", "p1", 0, 1),
    ]
    with pytest.raises(asyncpg.CheckViolationError):
        await post(svc.pool, extension)


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE ledger_postings SET debit_pence = debit_pence + 1",
        "UPDATE ledger_postings SET kind = 'x' WHERE false",
        "DELETE FROM ledger_postings",
        "TRUNCATE ledger_postings",
    ],
)
async def test_the_ledger_is_append_only(svc, statement) -> None:
    await post(svc.pool, journal(("award_expense", 100, 0), ("person:p1:payable", 0, 100)))
    with pytest.raises(asyncpg.InsufficientPrivilegeError, match="append-only"):
        await svc.pool.execute(statement)
    assert await svc.pool.fetchval("SELECT sum(debit_pence) FROM ledger_postings") == 100


async def test_a_persons_running_balance(svc) -> None:
    await post(svc.pool, journal(("award_expense", 300, 0), ("person:p1:payable", 0, 300)))
    await post(svc.pool, journal(("person:p1:payable", 200, 0), ("bank_clearing", 0, 200)))
    rows = await svc.pool.fetch(
        "SELECT running_balance_pence FROM person_ledger WHERE person_id = 'p1' ORDER BY seq"
    )
    assert [r["running_balance_pence"] for r in rows] == [300, 100]
