"""The assessment domain: the decision engine and the Case aggregate. Pure Python, no I/O."""

from assessment.domain.case import Case
from assessment.domain.decision import Decision, decide
from assessment.domain.errors import (
    AssessmentError,
    FieldError,
    InvalidAssessment,
    NoRuleSetInForce,
    NotAllowedNow,
    NotFound,
    RequestRefused,
    Unacceptable,
)
from assessment.domain.facts import AssessmentFacts, CareActFacts, CarerFacts, MeansFacts
from assessment.domain.records import (
    AssessmentRecord,
    DecisionRecord,
    Person,
    Reconsideration,
    ReportedChange,
)
from assessment.domain.rule_book import RuleBook
from assessment.domain.rules import RuleSet

__all__ = [
    "AssessmentError",
    "AssessmentFacts",
    "AssessmentRecord",
    "CareActFacts",
    "CarerFacts",
    "Case",
    "Decision",
    "DecisionRecord",
    "FieldError",
    "InvalidAssessment",
    "MeansFacts",
    "NoRuleSetInForce",
    "NotAllowedNow",
    "NotFound",
    "Person",
    "Reconsideration",
    "ReportedChange",
    "RequestRefused",
    "RuleBook",
    "RuleSet",
    "Unacceptable",
    "decide",
]
