"""The assessment decision engine: pure Python, stdlib only, no I/O."""

from assessment.domain.decision import Decision, decide
from assessment.domain.errors import FieldError, InvalidAssessment, InvalidRuleSet, NoRuleSetInForce
from assessment.domain.facts import AssessmentFacts, CareActFacts, CarerFacts, MeansFacts
from assessment.domain.rule_book import RuleBook
from assessment.domain.rules import RuleSet

__all__ = [
    "AssessmentFacts",
    "CareActFacts",
    "CarerFacts",
    "Decision",
    "FieldError",
    "InvalidAssessment",
    "InvalidRuleSet",
    "MeansFacts",
    "NoRuleSetInForce",
    "RuleBook",
    "RuleSet",
    "decide",
]
