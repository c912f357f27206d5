"""The dated rule sets, and which one is in force on a given day.

Benefits uprate on the uprating date (8 April 2024, 7 April 2025), the Charging Regulations'
amounts on 6 April: each rule set's charging part has its own effective_from, and the rules in
force on a day are that day's benefit rule set with that day's charging part.
"""

from dataclasses import dataclass, replace
from datetime import date

from assessment.domain.errors import NoRuleSetInForce
from assessment.domain.rules import RuleSet


@dataclass(frozen=True)
class RuleBook:
    rule_sets: tuple[RuleSet, ...]

    def in_force_on(self, on: date, field: str = "on") -> RuleSet:
        """The rule set with the latest effective_from on or before `on` (proposed ones too),
        with the charging part with the latest effective_from on or before `on`;
        NoRuleSetInForce names `field`, where the date came from."""
        started = [r for r in self.rule_sets if r.effective_from <= on]
        charging = [r.means_test for r in self.rule_sets if r.means_test.effective_from <= on]
        if not started or not charging:
            earliest = min((r.effective_from for r in self.rule_sets), default=None)
            raise NoRuleSetInForce(
                field, f"no rule set is in force on {on.isoformat()} (earliest starts {earliest})"
            )
        benefits = max(started, key=lambda r: r.effective_from)
        return replace(benefits, means_test=max(charging, key=lambda m: m.effective_from))

    def by_id(self, rule_set_id: str) -> RuleSet:
        for rule_set in self.rule_sets:
            if rule_set.id == rule_set_id:
                return rule_set
        raise KeyError(rule_set_id)
