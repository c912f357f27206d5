"""The ACL table (data) against the topics in contracts and what each service subscribes to."""

from assessment.main import CONSUMES as ASSESSMENT_CONSUMES
from care_plans.main import CONSUMES as CARE_PLANS_CONSUMES
from contracts.topics import ALL_TOPICS
from devstack.kafka_acls import CONSUMES, OPERATIONS, PRINCIPALS, SERVICES, grants
from notifications.main import CONSUMES as NOTIFICATIONS_CONSUMES
from payments.main import CONSUMES as PAYMENTS_CONSUMES


def test_each_service_may_read_exactly_what_it_subscribes_to():
    assert CONSUMES == {
        "assessment": tuple(ASSESSMENT_CONSUMES),
        "payments": tuple(PAYMENTS_CONSUMES),
        "care-plans": tuple(CARE_PLANS_CONSUMES),
        "notifications": tuple(NOTIFICATIONS_CONSUMES),
    }


def test_only_a_topics_producer_writes_it_apart_from_operations_replaying():
    producers = {t.name: t.producer for t in ALL_TOPICS}
    writes = [g for g in grants() if g.operation == "WRITE" and g.principal != OPERATIONS]
    assert writes and all(producers[g.name] == g.principal for g in writes)


def test_operations_reads_no_event_stream_and_no_one_has_more_than_read_write_describe():
    table = grants()
    assert {g.principal for g in table} == set(PRINCIPALS)
    assert {g.operation for g in table} == {"READ", "WRITE", "DESCRIBE"}
    reads = {g.name for g in table if g.principal == OPERATIONS and g.operation == "READ"}
    assert reads == {*(f"{s}.dlq" for s in SERVICES), OPERATIONS}


def test_each_consumer_uses_its_own_group_only():
    groups = {
        (g.principal, g.name) for g in grants() if g.resource == "group" and g.operation == "READ"
    }
    assert groups == {(s, s) for s in SERVICES if CONSUMES[s]} | {(OPERATIONS, OPERATIONS)}
