"""Providers' bank details at rest on the real PostgreSQL: a run records the payees file's
entries sealed and pays from them (the real numbers only in the bank file it serves); plaintext
is refused; a file that edits a recorded entry is refused whole; a key rotation re-wraps them at
start-up."""

from datetime import date

import asyncpg
import pytest
from payments.adapters.data_files import packaged_text
from payments.adapters.provider_payee_store import PostgresProviderPayees, ProviderPayeesEdited
from payments.adapters.provider_payees import FileProviderPayees
from payments.adapters.sealed import PROVIDER_BANK_DETAILS
from servicekit.crypto import Keyset, is_token, key_id_of

from ..unit.builders import decision, managed_services, support
from .support import running_service

pytestmark = pytest.mark.integration
RUN_DATE = date(2025, 6, 16)
CITYLINE = "PRV-0001@2025-04-07"
CITYLINE_DETAILS = ["Cityline Home Care Ltd", "309634", "41958327"]
PACKAGED = packaged_text("payments.payees", "provider-payees.yaml")


async def recorded(pool) -> dict[str, dict]:
    rows = await pool.fetch("SELECT * FROM provider_bank_accounts ORDER BY payee_ref")
    return {r["payee_ref"]: dict(r) for r in rows}


def store(svc, infra, text: str, tmp_path) -> PostgresProviderPayees:
    path = tmp_path / "payees.yaml"
    path.write_text(text)
    return PostgresProviderPayees(svc.pool, infra.sealer("payments"), FileProviderPayees(path))


async def test_a_run_pays_providers_from_their_sealed_details(svc, infra):
    await svc.deliver(decision(person="p1", decision_id="d-p1"))
    await svc.deliver(managed_services(person="p1", items=(support("PRV-0001", 6_000),)))
    await svc.bank_account("p1")
    svc.clock.today = RUN_DATE
    run = await svc.run(RUN_DATE, expect=201)

    rows = await recorded(svc.pool)
    assert len(rows) == 5  # every entry of the file, whoever was paid
    sealer = infra.sealer("payments")
    city = rows[CITYLINE]
    assert [sealer.open(c, CITYLINE, city[c.column]) for c in PROVIDER_BANK_DETAILS] == (
        CITYLINE_DETAILS
    )
    for row in rows.values():
        assert all(is_token(row[c.column]) for c in PROVIDER_BANK_DETAILS)
    assert not {"309634", "41958327"} & {str(v) for v in city.values()}
    stored_files = await svc.pool.fetch("SELECT content FROM bank_files")
    assert all(is_token(f["content"]) and "41958327" not in f["content"] for f in stored_files)
    served = [
        (await svc.http.get(f"/payment-runs/{run['run_id']}/files/{f}")).content
        for f in run["files"]
    ]
    assert any(b"<Id>41958327</Id>" in xml and b"<MmbId>309634</MmbId>" in xml for xml in served)


async def test_the_database_refuses_plaintext_provider_details(svc, infra):
    seal = infra.sealer("payments").seal
    name, sort_code, _ = PROVIDER_BANK_DETAILS
    with pytest.raises(asyncpg.CheckViolationError, match="provider_account_number_sealed"):
        await svc.pool.execute(
            "INSERT INTO provider_bank_accounts (payee_ref, provider_id, effective_from, name,"
            " account_name, sort_code, account_number) VALUES ($1, 'PRV-0009', $2, 'X', $3, $4,"
            " '12345678')",
            "PRV-0009@2025-04-07",
            date(2025, 4, 7),
            seal(name, "PRV-0009@2025-04-07", "X"),
            seal(sort_code, "PRV-0009@2025-04-07", "309634"),
        )


async def test_a_file_that_edits_a_recorded_entry_is_refused_whole(svc, infra, tmp_path):
    await store(svc, infra, PACKAGED, tmp_path).load()
    before = await recorded(svc.pool)
    edited = PACKAGED.replace('account_number: "41958327"', 'account_number: "99990000"') + (
        "\n  - provider_id: PRV-0002\n    name: Westcountry Care Partnership CIC\n"
        '    account_name: Westcountry Care Partnership CIC\n    sort_code: "608371"\n'
        '    account_number: "20417799"\n    effective_from: 2025-06-18\n'
        "    source: New bank details form SBD-0002/2, confirmed by call-back (test)\n"
    )
    with pytest.raises(ProviderPayeesEdited, match=CITYLINE) as refused:
        await store(svc, infra, edited, tmp_path).load()
    assert "99990000" not in str(refused.value) and "41958327" not in str(refused.value)
    assert await recorded(svc.pool) == before  # the new PRV-0002 entry was not recorded either

    corrected = PACKAGED + edited[len(PACKAGED) :]
    payees = await store(svc, infra, corrected, tmp_path).load()
    assert payees.payee("PRV-0002", date(2025, 6, 18)).account_number == "20417799"
    assert payees.payee("PRV-0001", date(2025, 6, 18)).account_number == "41958327"


async def test_a_key_rotation_re_wraps_providers_details_at_start_up(
    infra, fresh_database, tmp_path, tokens
):
    old = Keyset.generate()
    new = old.with_new_key()
    async with running_service(infra, fresh_database, tmp_path, tokens, keys=old.settings()) as svc:
        await svc.deps.payment_runs.payees.load()
        keys = {
            key_id_of(r[c.column])
            for r in (await recorded(svc.pool)).values()
            for c in PROVIDER_BANK_DETAILS
        }
        assert keys == {old.current}
    async with running_service(infra, fresh_database, tmp_path, tokens, keys=new.settings()) as svc:
        rows = (await recorded(svc.pool)).values()
        assert {key_id_of(r[c.column]) for r in rows for c in PROVIDER_BANK_DETAILS} == {
            new.current
        }
        payees = await svc.deps.payment_runs.payees.load()  # opens under the new key
        assert payees.payee("PRV-0001", RUN_DATE).account_number == "41958327"


@pytest.mark.parametrize("problem", ["missing", "malformed", "edited"])
async def test_no_run_starts_without_trustworthy_provider_details(svc, tmp_path, problem):
    """The operator's data, not the request: 503 naming the problem, and nothing written (no
    run, no payment, no recorded entry)."""
    path = tmp_path / "payees.yaml"
    if problem == "malformed":
        path.write_text(PACKAGED.replace('sort_code: "309634"', 'sort_code: "30-96-34"'))
    elif problem == "edited":
        await svc.run(RUN_DATE, expect=201)  # records the packaged entries
        path.write_text(
            PACKAGED.replace('account_number: "41958327"', 'account_number: "99990000"')
        )
    svc.deps.payment_runs.payees.source.path = path
    before = await svc.pool.fetchval("SELECT count(*) FROM payment_runs")
    answer = await svc.http.post("/payment-runs", json={"run_date": "2025-07-16"})
    assert answer.status_code == 503, answer.text
    assert '"field":"provider_payees"' in answer.text
    assert {"missing": "does not exist", "malformed": "sort_code", "edited": CITYLINE}[
        problem
    ] in answer.text
    assert not any(n in answer.text for n in ("41958327", "99990000", "309634"))
    assert await svc.pool.fetchval("SELECT count(*) FROM payment_runs") == before
