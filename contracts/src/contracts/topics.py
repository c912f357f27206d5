"""Kafka topics: one per producer, keyed by person id so one person's events stay in order."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Topic:
    name: str
    partitions: int
    producer: str


ASSESSMENT_EVENTS = Topic("assessment.events", 6, "assessment")
PAYMENTS_EVENTS = Topic("payments.events", 6, "payments")
CARE_PLANS_EVENTS = Topic("care-plans.events", 6, "care-plans")
NOTIFICATIONS_EVENTS = Topic("notifications.events", 6, "notifications")
# Inbound integration: Universal Credit claim events from the national benefits system.
BENEFITS_UC_CLAIMS = Topic("benefits.uc-claims", 6, "benefits-system")


def dead_letter(consumer: str) -> Topic:
    """Each consuming service has its own dead-letter topic."""
    return Topic(f"{consumer}.dlq", 1, consumer)


CONSUMERS = ("assessment", "payments", "care-plans", "notifications", "portal")

ALL_TOPICS: tuple[Topic, ...] = (
    ASSESSMENT_EVENTS,
    PAYMENTS_EVENTS,
    CARE_PLANS_EVENTS,
    NOTIFICATIONS_EVENTS,
    BENEFITS_UC_CLAIMS,
    *(dead_letter(c) for c in CONSUMERS),
)
