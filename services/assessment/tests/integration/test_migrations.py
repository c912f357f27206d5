"""Migrations keep what is stored: decisions written before the award's names changed read
back with today's names and the same amounts."""

import shutil

import pytest
from assessment.main import MIGRATIONS
from servicekit import db

pytestmark = pytest.mark.integration
OLD_AWARD = {
    "weekly_pence_by_component": {"daily_living": 7390, "mobility": 0},
    "gross_weekly_pence": 7390,
    "contribution_weekly_pence": 1305,
    "net_weekly_pence": 6085,
    "net_monthly_pence": 26368,
    "payable_weekly_pence": 0,
    "payable_monthly_pence": 0,
}


async def test_a_decision_stored_with_the_old_award_names_gets_the_new_ones(
    fresh_database, tmp_path
) -> None:
    for sql in sorted(MIGRATIONS.glob("*.sql"))[:2]:
        shutil.copy(sql, tmp_path / sql.name)
    pool = await db.create_pool(fresh_database)
    try:
        await db.migrate(pool, tmp_path)
        await pool.execute(
            "INSERT INTO people VALUES ('P1', 'JT123456C', 'Ada', '1955-12-10', 'E09000033');"
            "INSERT INTO cases (case_id, person_id, status) VALUES ('C1', 'P1', 'decided');"
            "INSERT INTO assessments (assessment_id, case_id, kind, assessor_id, facts)"
            " VALUES ('A1', 'C1', 'new_claim', 'as-1', '{}')"
        )
        await pool.execute(
            "INSERT INTO decisions (decision_id, case_id, person_id, version, assessment_id,"
            " rule_set_id, eligible, effective_date, review_date, reconsideration_deadline, body,"
            " decided_on) VALUES ('D1', 'C1', 'P1', 1, 'A1', 'GB-CARE-2025-26', false,"
            " '2025-06-02', '2026-06-02', '2025-07-02', $1, '2025-06-02')",
            {"eligible": False, "award": OLD_AWARD},
        )
        await db.migrate(pool, MIGRATIONS)
        body = await pool.fetchval("SELECT body FROM decisions WHERE decision_id = 'D1'")
    finally:
        await pool.close()
    assert body == {
        "eligible": False,
        "award": {
            "weekly_pence_by_component": {"daily_living": 7390, "mobility": 0},
            "gross_weekly_pence": 7390,
            "weekly_contribution_pence": 1305,
            "after_contribution_weekly_pence": 6085,
            "after_contribution_monthly_pence": 26368,
            "net_weekly_pence": 0,
            "net_monthly_pence": 0,
        },
    }
