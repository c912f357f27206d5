"""What a decision says it awards, checked against the decision's own parts before payments
takes it in: a well-formed decision whose figures do not add up is refused, never paid.

Payments recomputes what the decision itself lets it recompute:
- each component appears once and pays no negative amount; a component in band "none" pays
  nothing and one with a band pays something;
- the gross weekly award is the sum of the components' weekly amounts;
- the award's contribution is the means test's;
- the net weekly award is the gross less the contribution (never below nothing) when the
  needs and the means tests are met, and nothing otherwise;
- the net monthly award is the net weekly one × 52 ÷ 12, to the nearest penny;
- the decision is eligible exactly when the needs and means tests are met and something is
  paid.

What it cannot check: that each band's weekly amount is the rate the named rule set sets for it,
and that the rule set named is the one in force on the effective date. The rate tables are the
assessment service's rule data, which payments does not hold; a wrong rate that is internally
consistent is caught only by reconciling with assessment.
"""

from dataclasses import dataclass

from payments.domain.errors import InvalidDecision
from payments.domain.money import monthly_from_weekly


@dataclass(frozen=True)
class StatedComponent:
    name: str
    band: str
    weekly_pence: int


@dataclass(frozen=True)
class StatedAward:
    """The figures of an assessment decision as it states them."""

    decision_id: str
    rule_set_id: str
    eligible: bool
    care_act_eligible: bool
    financially_eligible: bool
    components: tuple[StatedComponent, ...]
    means_contribution_weekly_pence: int
    gross_weekly_pence: int
    contribution_weekly_pence: int
    net_weekly_pence: int
    net_monthly_pence: int


def check_stated_award(stated: StatedAward) -> None:
    """Raises InvalidDecision, naming the first field that does not add up."""
    problem = next(_problems(stated), None)
    if problem is not None:
        field, message = problem
        raise InvalidDecision(f"decision {stated.decision_id}: {message}", field)


def _problems(s: StatedAward):
    names = [c.name for c in s.components]
    if len(names) != len(set(names)):
        yield "components", f"a component appears twice: {sorted(names)}"
    if not s.rule_set_id.strip():
        yield "rule_set_id", "names no rule set"
    for c in s.components:
        if c.weekly_pence < 0:
            yield "components", f"component {c.name} has a negative weekly amount"
        if (c.band == "none") != (c.weekly_pence == 0):
            yield "components", f"{c.name} in band {c.band!r} pays {c.weekly_pence} pence a week"
    gross = sum(c.weekly_pence for c in s.components)
    if s.gross_weekly_pence != gross:
        yield (
            "award.gross_weekly_pence",
            f"the gross of {s.gross_weekly_pence} pence a week is not the components' {gross}",
        )
    if s.contribution_weekly_pence != s.means_contribution_weekly_pence:
        yield (
            "award.weekly_contribution_pence",
            f"the contribution of {s.contribution_weekly_pence} pence a week is not the means"
            f" test's {s.means_contribution_weekly_pence}",
        )
    met = s.care_act_eligible and s.financially_eligible
    net = max(0, gross - s.means_contribution_weekly_pence) if met else 0
    if s.net_weekly_pence != net:
        yield (
            "award.net_weekly_pence",
            f"the net of {s.net_weekly_pence} pence a week should be {net} (the components"
            f" less the contribution{'' if met else ', nothing as the tests are not met'})",
        )
    if s.net_monthly_pence != monthly_from_weekly(s.net_weekly_pence):
        yield (
            "award.net_monthly_pence",
            f"{s.net_monthly_pence} pence a month is not {s.net_weekly_pence} a week × 52 ÷ 12"
            f" ({monthly_from_weekly(s.net_weekly_pence)})",
        )
    if s.eligible != (met and net > 0):
        yield "eligible", f"eligible is {s.eligible} but the award and tests say otherwise"
