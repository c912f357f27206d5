"""Domain events: past-tense facts a Case appends to `events`; adapters/outbound.py publishes
them as contracts.assessment.v1 events."""

from dataclasses import dataclass

from assessment.domain.decision import Decision
from assessment.domain.records import AssessmentRecord, DecisionRecord, Reconsideration


@dataclass(frozen=True)
class AssessmentSubmitted:
    assessment: AssessmentRecord


@dataclass(frozen=True)
class DecisionMade:
    decision: DecisionRecord
    worked_out: Decision
    """The decision engine's result the version records (points, means, award, explanation)."""


@dataclass(frozen=True)
class DecisionSuperseded:
    superseded: DecisionRecord
    by: DecisionRecord


@dataclass(frozen=True)
class ReconsiderationRequested:
    reconsideration: Reconsideration


@dataclass(frozen=True)
class ReconsiderationDecided:
    reconsideration: Reconsideration


Event = (
    AssessmentSubmitted
    | DecisionMade
    | DecisionSuperseded
    | ReconsiderationRequested
    | ReconsiderationDecided
)
