"""The provider's seed data: the demo citizens are the demo people, staff cover every role."""

import json
from collections import Counter

from devstack.demo import DEMO_PEOPLE
from devstack.oidc import clients_data, node_env, oidc_root
from devstack.paths import repo_root


def _accounts(name: str) -> list[dict]:
    return json.loads((oidc_root(repo_root()) / name).read_text())["accounts"]


def test_demo_citizens_carry_the_demo_peoples_identity() -> None:
    citizens = {a["identity"]["nino"]: a for a in _accounts("accounts.json") if "identity" in a}
    assert set(citizens) == {p.nino for p in DEMO_PEOPLE}
    for person in DEMO_PEOPLE:
        identity = citizens[person.nino]["identity"]
        assert identity["birth_date"] == person.date_of_birth
        assert f"{identity['given_name']} {identity['family_name']}" == person.full_name


def test_staff_cover_every_role_with_distinct_people() -> None:
    staff = [a for a in _accounts("accounts.json") if "roles" in a]
    roles = Counter(role for a in staff for role in a["roles"])
    assert roles["assessor"] >= 2 and roles["payments_officer"] >= 2 and roles["operations"] >= 1
    reviewers = {a["sub"] for a in staff if "reviewer" in a["roles"]}
    plain_assessors = {a["sub"] for a in staff if a["roles"] == ["assessor"]}
    assert reviewers and len(plain_assessors) >= 2 and not reviewers & plain_assessors


def test_every_account_is_unique_and_has_a_hashed_password() -> None:
    accounts = _accounts("accounts.json") + _accounts("test-accounts.json")
    for key in ("sub", "username"):
        assert len({a[key] for a in accounts}) == len(accounts)
    assert all(a["password_hash"].startswith("scrypt:") for a in accounts)
    assert not any("password" in a for a in accounts)


def test_each_service_has_an_audience_and_a_client() -> None:
    data = clients_data(repo_root())
    assert set(data["resources"]) == set(data["service_clients"])
    own_jobs = {"care-plans": {"care-plans:write"}}  # the review sweep CronJob's call
    for name, scopes in data["service_clients"].items():
        itself = {s for s in scopes if s.startswith(f"{name}:")}
        assert itself == own_jobs.get(name, set())  # it calls others, itself only for its jobs


def test_the_provider_runs_with_a_fixed_mmap_threshold_keeping_other_tunables() -> None:
    env = node_env({"PATH": "/bin", "GLIBC_TUNABLES": "glibc.malloc.arena_max=2"})
    assert env["PATH"] == "/bin"
    assert env["GLIBC_TUNABLES"] == "glibc.malloc.arena_max=2:glibc.malloc.mmap_threshold=131072"
    assert node_env({})["GLIBC_TUNABLES"] == "glibc.malloc.mmap_threshold=131072"
    chosen = {"GLIBC_TUNABLES": "glibc.malloc.mmap_threshold=65536"}
    assert node_env(chosen)["GLIBC_TUNABLES"] == "glibc.malloc.mmap_threshold=65536"
