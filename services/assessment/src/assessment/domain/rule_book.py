"""The dated rule sets, and which one is in force on a given day."""

from dataclasses import dataclass
from datetime import date

from assessment.domain.errors import NoRuleSetInForce
from assessment.domain.rules import RuleSet


@dataclass(frozen=True)
class RuleBook:
    rule_sets: tuple[RuleSet, ...]

    def in_force_on(self, on: date, field: str = "on") -> RuleSet:
        """The rule set with the latest effective_from on or before `on` (proposed ones too);
        NoRuleSetInForce names `field`, where the date came from."""
        started = [r for r in self.rule_sets if r.effective_from <= on]
        if not started:
            earliest = min((r.effective_from for r in self.rule_sets), default=None)
            raise NoRuleSetInForce(
                field, f"no rule set is in force on {on.isoformat()} (earliest starts {earliest})"
            )
        return max(started, key=lambda r: r.effective_from)

    def by_id(self, rule_set_id: str) -> RuleSet:
        for rule_set in self.rule_sets:
            if rule_set.id == rule_set_id:
                return rule_set
        raise KeyError(rule_set_id)
