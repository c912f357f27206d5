"""The uprating job on the real PostgreSQL: every award uprated exactly once, however often the
job runs and wherever it is stopped."""

import asyncio
import copy
import json
import os
import signal
import subprocess
import sys
from datetime import date

import pytest
from assessment.adapters.repository import AsyncpgAssessmentUnitOfWork
from assessment.adapters.rulesets import load_rulebook
from assessment.config import AssessmentSettings
from assessment.domain import CaseChanged
from assessment.service_layer.commands import UprateAwards
from assessment.service_layer.uprating import Uprating, rules_to_uprate_to, uprate_awards

from .support import ELIGIBLE_FACTS, outbox, short

UPRATING_DAY = date(2026, 4, 6)
TO_2026 = UprateAwards("GB-CARE-2026-27")


class Killed(Exception):
    """The job's process dying after a committed batch."""


async def award(api, n: int, facts=ELIGIBLE_FACTS) -> dict:
    person = {
        "nino": f"JT{n:06d}C",
        "full_name": f"Person {n}",
        "date_of_birth": "1955-12-10",
        "area_code": "E09000033",
    }
    case = (await api.post("/cases", json=person)).json()
    recorded = await api.post(f"/cases/{case['case_id']}/assessments", json={"facts": facts})
    submitted = await api.post(
        f"/cases/{case['case_id']}/assessments/{recorded.json()['assessment_id']}/submit"
    )
    assert submitted.status_code == 201, submitted.text
    return submitted.json()


@pytest.fixture
def job(api, infra):
    sealer = AssessmentSettings(
        database_url="postgresql://unused",
        environment="test",
        **infra.encryption_settings("assessment"),
    ).sealer()
    return Uprating(lambda: AsyncpgAssessmentUnitOfWork(api.pool, sealer), load_rulebook(), 2)


async def uprating_versions(api) -> list:
    return await api.pool.fetch(
        "SELECT case_id, supersedes, rule_set_id, effective_date FROM decisions"
        " WHERE kind = 'uprating' ORDER BY case_id"
    )


async def published(api) -> list[str]:
    rows = await api.pool.fetch("SELECT type FROM outbox ORDER BY position")
    return [short(r["type"]) for r in rows]


async def test_every_award_is_uprated_once_and_a_second_run_changes_nothing(api, job) -> None:
    awards = [await award(api, n) for n in range(5)]
    before = len(await published(api))
    first = await uprate_awards(TO_2026, job, UPRATING_DAY)
    assert first.counts == {"uprated": 5}
    assert (first.rule_set_id, first.effective_from) == ("GB-CARE-2026-27", UPRATING_DAY)
    versions = await uprating_versions(api)
    assert sorted(v["supersedes"] for v in versions) == sorted(a["decision_id"] for a in awards)
    assert {(v["rule_set_id"], v["effective_date"]) for v in versions} == {
        ("GB-CARE-2026-27", UPRATING_DAY)
    }
    events = (await published(api))[before:]
    assert events.count("decision_made") == 5 and events.count("decision_superseded") == 5

    second = await uprate_awards(TO_2026, job, UPRATING_DAY)
    assert second.counts == {}
    assert len(await uprating_versions(api)) == 5
    assert len(await published(api)) == before + 10


async def test_killed_mid_run_and_restarted_each_award_is_uprated_exactly_once(api, job) -> None:
    for n in range(7):
        await award(api, n)

    async def die_after_second_batch(number: int) -> None:
        if number == 2:
            raise Killed

    with pytest.raises(Killed):
        crashing = Uprating(job.uow, job.rulebook, 2, die_after_second_batch)
        await uprate_awards(TO_2026, crashing, UPRATING_DAY)
    assert len(await uprating_versions(api)) == 4, "two committed batches of two"

    resumed = await uprate_awards(TO_2026, job, UPRATING_DAY)
    assert resumed.counts == {"uprated": 3}
    versions = await uprating_versions(api)
    assert len({v["case_id"] for v in versions}) == len(versions) == 7
    rows = await api.pool.fetch("SELECT outcome, count(*) FROM uprated_awards GROUP BY outcome")
    assert {r["outcome"]: r["count"] for r in rows} == {"uprated": 7}
    made = await api.pool.fetchval(
        "SELECT count(*) FROM outbox WHERE type LIKE '%decision_made%'"
        " AND payload -> 'data' ->> 'kind' = 'uprating'"
    )
    assert made == 7


async def test_awards_already_under_the_new_rules_and_refusals_are_left_alone(api, job) -> None:
    at_66 = copy.deepcopy(ELIGIBLE_FACTS)
    at_66["means"]["age"] = 66  # in 2026 pension credit age depends on the date of birth
    old = await award(api, 1)
    refused = await award(api, 2, at_66)
    api.clock.today = date(2026, 5, 1)
    new = await award(api, 3)
    assert new["rule_set_id"] == "GB-CARE-2026-27"

    report = await uprate_awards(TO_2026, job, date(2026, 5, 2))
    assert report.counts == {"uprated": 1, "refused": 1}
    versions = await uprating_versions(api)
    assert [v["supersedes"] for v in versions] == [old["decision_id"]]
    reason = await api.pool.fetchval(
        "SELECT reason FROM uprated_awards WHERE decision_id = $1", refused["decision_id"]
    )
    assert "facts.means.age" in reason
    assert (await uprate_awards(TO_2026, job, date(2026, 5, 2))).counts == {}


async def test_an_unknown_rule_set_is_named(api, job) -> None:
    from assessment.domain import NotFound

    with pytest.raises(NotFound, match="GB-CARE-2030-31") as error:
        await uprate_awards(UprateAwards("GB-CARE-2030-31"), job, UPRATING_DAY)
    assert error.value.field == "rule_set_id"


async def test_the_job_killed_with_sigkill_and_run_again_uprates_each_award_once(
    api, infra, fresh_database
) -> None:
    for n in range(9):
        await award(api, n)
    env = {
        **os.environ,
        "ASSESSMENT_DATABASE_URL": fresh_database,
        "CAREBENEFIT_ENVIRONMENT": "test",
        **infra.encryption_env("assessment", "ASSESSMENT_"),
    }
    command = [sys.executable, "-m", "assessment.uprate", "--rule-set", "GB-CARE-2026-27"]
    slow = [*command, "--batch-size", "2", "--pause-after-batch", "1"]
    job = await asyncio.create_subprocess_exec(
        *slow, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    try:
        # A deadline, not a timing: on a loaded 2-core machine the job's start-up alone can
        # take tens of seconds.
        for _ in range(1200):
            if await api.pool.fetchval("SELECT count(*) FROM uprated_awards") >= 2:
                break
            assert job.returncode is None, f"the job ended by itself ({job.returncode})"
            await asyncio.sleep(0.1)
        job.send_signal(signal.SIGKILL)
    finally:
        await asyncio.wait_for(job.wait(), 10)
    done = await api.pool.fetchval("SELECT count(*) FROM uprated_awards")
    assert 2 <= done < 9 and done % 2 == 0, "whole batches only"

    again = await asyncio.create_subprocess_exec(
        *command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    out, err = await asyncio.wait_for(again.communicate(), 120)
    assert again.returncode == 0, err.decode()
    assert json.loads(out)["counts"] == {"uprated": 9 - done}
    versions = await uprating_versions(api)
    assert len({v["case_id"] for v in versions}) == len(versions) == 9


async def test_a_change_dated_before_the_uprating_keeps_the_new_rates(api, job) -> None:
    """The award uprated in April, then a change from March recorded: the change's version
    (March, the old rules) and at once an uprating of it (April, the new rules), both published."""
    first = await award(api, 90)
    api.clock.today = date(2026, 4, 10)
    await uprate_awards(TO_2026, job, api.clock.today)
    api.clock.today = date(2026, 4, 20)
    worse = copy.deepcopy(ELIGIBLE_FACTS)
    worse["descriptors"].update({"1": "1f", "4": "4f"})
    response = await api.post(
        f"/cases/{first['case_id']}/changes-of-circumstances",
        json={"facts": worse, "effective_date": "2026-03-01", "evidence_notes": "Since March"},
    )
    assert response.status_code == 201, response.text
    change = response.json()
    assert (change["rule_set_id"], change["effective_date"]) == ("GB-CARE-2025-26", "2026-03-01")
    case = (await api.get(f"/cases/{first['case_id']}")).json()
    in_force = [d for d in case["decisions"] if d["status"] != "superseded"]
    assert [(d["kind"], d["rule_set_id"], d["effective_date"]) for d in in_force] == [
        ("uprating", "GB-CARE-2026-27", "2026-04-06")
    ]
    assert in_force[0]["supersedes"] == change["decision_id"]
    weekly = in_force[0]["body"]["award"]["net_weekly_pence"]
    assert weekly > change["body"]["award"]["net_weekly_pence"]
    made = [r["payload"]["data"] for r in await outbox(api) if short(r["type"]) == "decision_made"]
    assert [(m["decision_version"], m["kind"], m["rule_set_id"]) for m in made] == [
        (1, "new_claim", "GB-CARE-2025-26"),
        (2, "uprating", "GB-CARE-2026-27"),
        (3, "change_of_circumstances", "GB-CARE-2025-26"),
        (4, "uprating", "GB-CARE-2026-27"),
    ]
    again = await uprate_awards(TO_2026, job, api.clock.today)
    assert again.counts == {}, "the job finds nothing more to do"


async def test_a_batch_is_saved_whole_or_refused_whole_if_one_case_changed_meanwhile(
    api, job
) -> None:
    """save_many writes a batch's cases in a few statements: one case changed by someone else
    refuses all of them, and the unit of work writes nothing."""
    for n in range(3):
        await award(api, n)
    rules = rules_to_uprate_to(TO_2026, job.rulebook, UPRATING_DAY)
    async with job.uow() as uow:
        cases = await uow.cases.to_uprate(rules.id, rules.effective_from, "", 10)
        assert len(cases) == 3
        for case in cases:
            case.uprate(rules, UPRATING_DAY)
        await uow.conn.execute(
            "UPDATE cases SET version = version + 1 WHERE case_id = $1", cases[1].case_id
        )
        with pytest.raises(CaseChanged):
            await uow.cases.save_many(cases)
    assert await uprating_versions(api) == []
    async with job.uow() as uow:
        cases = await uow.cases.to_uprate(rules.id, rules.effective_from, "", 10)
        versions = {c.case_id: c.version for c in cases}
        for case in cases[:2]:  # the third has nothing to write
            case.uprate(rules, UPRATING_DAY)
        await uow.cases.save_many(cases)
        await uow.commit()
    rows = await api.pool.fetch("SELECT case_id, version FROM cases ORDER BY case_id")
    assert {r["case_id"]: r["version"] for r in rows} == {
        c: v + (1 if c in {x.case_id for x in cases[:2]} else 0) for c, v in versions.items()
    }
    assert sorted(v["case_id"] for v in await uprating_versions(api)) == sorted(
        c.case_id for c in cases[:2]
    )
