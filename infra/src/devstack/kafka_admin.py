"""SCRAM users and ACLs on the broker, through confluent-kafka's admin client as `admin`.

aiokafka (the services' client) has no admin API for ACLs or SCRAM credentials, and Kafka's own
AclCommand is one JVM start per resource pattern; confluent-kafka (librdkafka) does each in one
request. Blocking calls: run them in a thread.
"""

import logging
import time
from collections.abc import Iterable, Mapping
from pathlib import Path

from confluent_kafka import KafkaException
from confluent_kafka.admin import (
    AclBinding,
    AclBindingFilter,
    AclOperation,
    AclPermissionType,
    AdminClient,
    ResourcePatternType,
    ResourceType,
    ScramCredentialInfo,
    ScramMechanism,
    UserScramCredentialUpsertion,
)

from devstack.kafka_acls import Grant

SCRAM_ITERATIONS = 8192
log = logging.getLogger(__name__)
_RESOURCE = {"topic": ResourceType.TOPIC, "group": ResourceType.GROUP}


class KafkaAdminError(RuntimeError):
    pass


def admin_client(bootstrap_servers: str, username: str, password: str, ca_file: Path | None):
    config = {
        "bootstrap.servers": bootstrap_servers,
        "security.protocol": "SASL_SSL",
        "sasl.mechanism": "SCRAM-SHA-512",
        "sasl.username": username,
        "sasl.password": password,
        "ssl.endpoint.identification.algorithm": "https",
    }
    if ca_file is not None:
        config["ssl.ca.location"] = str(ca_file)
    return AdminClient(config, logger=log)  # librdkafka's log lines go to logging, not stderr


def _wait(futures: Mapping, what: str, timeout: float = 30.0) -> None:
    failures = []
    for key, future in futures.items():
        try:
            future.result(timeout=timeout)
        except KafkaException as error:
            failures.append(f"{key}: {error.args[0].str()}")
    if failures:
        raise KafkaAdminError(f"{what} failed: " + "; ".join(failures))


def upsert_users(admin: AdminClient, passwords: Mapping[str, str]) -> None:
    """Create or reset each user's SCRAM-SHA-512 credential, then wait until the broker knows
    them all (authentication reads the broker's copy of the metadata)."""
    info = ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, SCRAM_ITERATIONS)
    upserts = [UserScramCredentialUpsertion(u, info, p.encode()) for u, p in passwords.items()]
    _wait(admin.alter_user_scram_credentials(upserts), "creating SCRAM users")
    deadline = time.monotonic() + 30
    while True:
        futures = admin.describe_user_scram_credentials(list(passwords))
        try:
            if all(f.result(timeout=10).scram_credential_infos for f in futures.values()):
                return
        except KafkaException:
            pass
        if time.monotonic() > deadline:
            raise KafkaAdminError("the broker did not learn the new SCRAM users within 30 s")
        time.sleep(0.05)


def binding(grant: Grant) -> AclBinding:
    return AclBinding(
        _RESOURCE[grant.resource],
        grant.name,
        ResourcePatternType.LITERAL,
        f"User:{grant.principal}",
        "*",
        AclOperation[grant.operation],
        AclPermissionType.ALLOW,
    )


_EVERY_ACL = AclBindingFilter(
    ResourceType.ANY,
    None,
    ResourcePatternType.ANY,
    None,
    None,
    AclOperation.ANY,
    AclPermissionType.ANY,
)


def current_acls(admin: AdminClient) -> set[AclBinding]:
    return set(admin.describe_acls(_EVERY_ACL).result(timeout=30))


def apply_acls(admin: AdminClient, table: Iterable[Grant]) -> None:
    """Make the broker's ACLs exactly `table`: create the missing ones, delete any other, then
    wait until the broker's authorizer holds exactly these."""
    wanted = {binding(g) for g in table}
    present = current_acls(admin)
    if missing := wanted - present:
        _wait(admin.create_acls(list(missing)), "creating ACLs")
    if extra := present - wanted:
        filters = [
            AclBindingFilter(
                b.restype,
                b.name,
                b.resource_pattern_type,
                b.principal,
                b.host,
                b.operation,
                b.permission_type,
            )
            for b in extra
        ]
        _wait(admin.delete_acls(filters), "deleting ACLs")
    deadline = time.monotonic() + 30
    while current_acls(admin) != wanted:
        if time.monotonic() > deadline:
            raise KafkaAdminError("the broker's ACLs did not settle within 30 s")
        time.sleep(0.05)
