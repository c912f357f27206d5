"""Each platform process gets its own credentials and no one else's."""

import json
from pathlib import Path

from devstack import apps, rotate
from devstack.credentials import Credentials
from devstack.stack import Infra


def test_an_app_runs_as_its_own_principal_and_runtime_role(monkeypatch):
    monkeypatch.setenv("ASSESSMENT_KAFKA_PASSWORD", "inherited-from-the-shell")
    monkeypatch.setenv("KAFKA_ADMIN_PASSWORD", "inherited-admin")
    credentials = Credentials.generate(["payments", "assessment", "portal"])
    infra = Infra(
        bootstrap_servers="127.0.0.1:1",
        database_url_base="postgresql://postgres:pw@127.0.0.1:2?sslmode=verify-full",
        credentials=credentials,
        kafka_ca_file=Path("/ca.pem"),
    )
    ports = {app.name: 1 for app in apps.APPS}
    env = apps.app_env(apps.BY_NAME["payments"], ports, infra)
    assert env["PAYMENTS_KAFKA_USERNAME"] == "payments"
    assert env["PAYMENTS_KAFKA_PASSWORD"] == credentials.kafka["payments"]
    assert env["PAYMENTS_DATABASE_URL"].startswith("postgresql://payments_runtime:")
    assert env["PAYMENTS_DATABASE_URL"].endswith("@127.0.0.1:2/payments?sslmode=verify-full")
    assert env["PAYMENTS_MIGRATION_DATABASE_URL"].startswith("postgresql://payments_migrator:")
    assert (env["KAFKA_SECURITY_PROTOCOL"], env["KAFKA_SSL_CAFILE"]) == ("SASL_SSL", "/ca.pem")
    others = [v for k, v in credentials.kafka.items() if k != "payments"]
    others += [v for k, v in credentials.postgres.items() if not k.startswith("payments_")]
    assert not [value for value in env.values() if any(secret in value for secret in others)]
    assert "ASSESSMENT_KAFKA_PASSWORD" not in env and "KAFKA_ADMIN_PASSWORD" not in env
    portal = apps.app_env(apps.BY_NAME["portal"], ports, infra)
    assert portal["PORTAL_KAFKA_USERNAME"] == "operations"


def test_an_app_gets_its_own_encryption_keys_and_no_one_elses(monkeypatch):
    monkeypatch.setenv("PAYMENTS_LOOKUP_KEY", "inherited-from-the-shell")
    credentials = Credentials.generate(["payments", "assessment", "notifications"])
    infra = Infra("127.0.0.1:1", "postgresql://postgres:pw@127.0.0.1:2", credentials, None)
    ports = {app.name: 1 for app in apps.APPS}
    env = apps.app_env(apps.BY_NAME["payments"], ports, infra)
    mine, theirs = credentials.encryption["payments"], credentials.encryption["assessment"]
    assert env["PAYMENTS_ENCRYPTION_KEY_ID"] == mine.current
    assert json.loads(env["PAYMENTS_ENCRYPTION_KEYS"]) == mine.keys
    assert env["PAYMENTS_LOOKUP_KEY"] == mine.lookup
    others = [*theirs.keys.values(), theirs.lookup]
    assert not [value for value in env.values() if any(secret in value for secret in others)]
    notifications = apps.app_env(apps.BY_NAME["notifications"], ports, infra)
    assert not [k for k in notifications if "ENCRYPTION" in k or "LOOKUP_KEY" in k]


def test_a_rotated_key_is_saved_with_the_old_ones(tmp_path):
    path = tmp_path / "credentials.json"
    before = Credentials.generate(["payments"])
    before.save(path)
    new_id = rotate.rotate_key("payments", path)
    after = Credentials.load(path)
    old, new = before.encryption["payments"], after.encryption["payments"]
    assert new.current == new_id != old.current
    assert new.keys.items() >= old.keys.items() and new.lookup == old.lookup
    assert after.encryption["assessment"] == before.encryption["assessment"]
    assert after.kafka == before.kafka and after.postgres == before.postgres


def test_the_portal_migrates_as_its_migrator_and_runs_as_its_runtime_role() -> None:
    infra = Infra(
        bootstrap_servers="127.0.0.1:1",
        database_url_base="postgresql://postgres:pw@127.0.0.1:2?sslmode=verify-full",
        credentials=Credentials.generate(["portal"]),
        kafka_ca_file=None,
    )
    env = apps.app_env(apps.BY_NAME["portal"], {app.name: 1 for app in apps.APPS}, infra)
    assert env["PORTAL_DATABASE_URL"].startswith("postgresql://portal_runtime:")
    assert env["PORTAL_MIGRATION_DATABASE_URL"].startswith("postgresql://portal_migrator:")


def test_two_replicas_of_a_consumer_are_static_members_of_their_own(monkeypatch):
    monkeypatch.setenv("NOTIFICATIONS_CONSUMER_INSTANCE_ID", "inherited-from-the-shell")
    credentials = Credentials.generate(["notifications"])
    infra = Infra("127.0.0.1:1", "postgresql://postgres:pw@127.0.0.1:2", credentials, None)
    app = apps.BY_NAME["notifications"]
    first, second = (apps.app_env(app, {app.name: port}, infra) for port in (8104, 8105))
    ids = [env["NOTIFICATIONS_CONSUMER_INSTANCE_ID"] for env in (first, second)]
    assert ids[0] != ids[1] and "inherited-from-the-shell" not in ids
    assert ids[0].startswith("notifications@") and ids[0].endswith(":8104")
    again = apps.app_env(app, {app.name: 8104}, infra)  # the same replica restarted
    assert again["NOTIFICATIONS_CONSUMER_INSTANCE_ID"] == ids[0]
    chosen = apps.app_env(
        app, {app.name: 8104}, infra, extra={"NOTIFICATIONS_CONSUMER_INSTANCE_ID": "pod-0"}
    )
    assert chosen["NOTIFICATIONS_CONSUMER_INSTANCE_ID"] == "pod-0"
