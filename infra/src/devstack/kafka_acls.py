"""The Kafka ACL table: which principal may do what to which topic or group. Data, derived from
the contracts' topics; `kafka_admin.apply_acls` makes the broker's ACLs exactly these.

- each service writes its own topic (the topic's `producer`) and its own dead-letter topic,
  reads the topics in CONSUMES and uses one consumer group, named after itself;
- `benefits-system` (the national benefits system, the simulator here) writes benefits.uc-claims;
- `operations` (the portal's ops view) describes the services' groups and every topic (consumer
  lag), reads the dead-letter topics in its own group, and writes the topics a dead letter is
  replayed to — every consumed topic — when an operator replays it (portal ops_dead_letters.py,
  servicekit.replay).

WRITE implies DESCRIBE and, since Kafka 3.0 (KIP-679), the idempotent producer's
IDEMPOTENT_WRITE; READ implies DESCRIBE. Anything not granted is refused
(`allow.everyone.if.no.acl.found=false`); `admin` is the only super user.
"""

from dataclasses import dataclass

from contracts.topics import (
    ALL_TOPICS,
    ASSESSMENT_EVENTS,
    BENEFITS_UC_CLAIMS,
    CARE_PLANS_EVENTS,
    PAYMENTS_EVENTS,
    dead_letter,
)

ADMIN = "admin"
SERVICES = ("assessment", "payments", "care-plans", "notifications")
BENEFITS_SYSTEM = BENEFITS_UC_CLAIMS.producer
OPERATIONS = "operations"
PRINCIPALS = (*SERVICES, BENEFITS_SYSTEM, OPERATIONS)

# What each service subscribes to (its main.py); the consumer group is the service's name.
CONSUMES: dict[str, tuple[str, ...]] = {
    "assessment": (CARE_PLANS_EVENTS.name,),
    "payments": (ASSESSMENT_EVENTS.name, BENEFITS_UC_CLAIMS.name, CARE_PLANS_EVENTS.name),
    "care-plans": (ASSESSMENT_EVENTS.name,),
    "notifications": (ASSESSMENT_EVENTS.name, PAYMENTS_EVENTS.name, CARE_PLANS_EVENTS.name),
}


@dataclass(frozen=True, order=True)
class Grant:
    principal: str
    operation: str  # READ, WRITE or DESCRIBE
    resource: str  # topic or group
    name: str


def _dead_letter_topics() -> list[str]:
    return [dead_letter(service).name for service in SERVICES]


def _service_grants(service: str) -> list[Grant]:
    own = [t.name for t in ALL_TOPICS if t.producer == service]
    grants = [Grant(service, "WRITE", "topic", name) for name in own]
    grants += [Grant(service, "READ", "topic", name) for name in CONSUMES[service]]
    if CONSUMES[service]:
        grants.append(Grant(service, "READ", "group", service))
    return grants


def _operations_grants() -> list[Grant]:
    replay_targets = sorted({name for names in CONSUMES.values() for name in names})
    return [
        *(Grant(OPERATIONS, "DESCRIBE", "group", s) for s in SERVICES if CONSUMES[s]),
        *(Grant(OPERATIONS, "DESCRIBE", "topic", t.name) for t in ALL_TOPICS),
        *(Grant(OPERATIONS, "READ", "topic", name) for name in _dead_letter_topics()),
        *(Grant(OPERATIONS, "WRITE", "topic", name) for name in replay_targets),
        Grant(OPERATIONS, "READ", "group", OPERATIONS),
    ]


def grants() -> list[Grant]:
    """The whole table, sorted."""
    table = [g for service in SERVICES for g in _service_grants(service)]
    table.append(Grant(BENEFITS_SYSTEM, "WRITE", "topic", BENEFITS_UC_CLAIMS.name))
    table += _operations_grants()
    return sorted(set(table))
