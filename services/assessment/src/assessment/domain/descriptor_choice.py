"""Which descriptor applies to an activity when several apply on different days of the period:
SI 2013/377 reg 7(1), with the reliability criteria of reg 4(2A).

A descriptor counts only on days the person satisfies it reliably (safely, to an acceptable
standard, repeatedly and within a reasonable time); one they can do only unreliably is treated
as one they cannot do, so it does not count. Of those that count:
(a) one satisfied on over half the days applies;
(b) of two or more each over half, the one scoring more applies;
(c) if none is over half but those scoring points are, added together, the one satisfied on the
    most days applies, and of equal ones the one scoring more.
Otherwise no descriptor scoring points applies, and the activity scores 0.
"""

from collections.abc import Callable
from dataclasses import dataclass

from assessment.domain.explanation import ExplanationLine, citations, listed, plural
from assessment.domain.facts import ActivityDays
from assessment.domain.rules import Activity, Descriptor, RuleSet

ONE_OVER, SEVERAL_OVER = "one_over", "several_over"
TOGETHER_OVER, TOGETHER_EQUAL, NONE_OVER = "together_over", "together_equal", "none_over"


@dataclass(frozen=True)
class ConsideredDescriptor:
    descriptor: str
    points: int
    days: int
    reliability: dict[str, bool]
    """Every reg 4(2A) criterion and whether it holds."""
    counts: bool


@dataclass(frozen=True)
class DescriptorChoice:
    period_days: int
    rule: str
    """How the descriptor was chosen: one_over, several_over, together_over, together_equal or
    none_over (the reg 7(1) limb, as named in the rule set)."""
    considered: tuple[ConsideredDescriptor, ...]


def consider(
    activity: Activity, evidence: ActivityDays, rules: RuleSet
) -> list[ConsideredDescriptor]:
    """The descriptors given, in the schedule's order, each with every criterion resolved."""
    criteria = [c.code for c in rules.reliability.criteria]
    given = {g.descriptor: g for g in evidence.applies}
    considered = []
    for descriptor in activity.descriptors:
        if (found := given.get(descriptor.code)) is not None:
            held = {code: found.reliability.get(code, True) for code in criteria}
            considered.append(
                ConsideredDescriptor(
                    descriptor.code, descriptor.points, found.days, held, all(held.values())
                )
            )
    return considered


def choose(
    activity: Activity, evidence: ActivityDays, rules: RuleSet
) -> tuple[Descriptor, DescriptorChoice]:
    considered = consider(activity, evidence, rules)
    period, over = evidence.period_days, rules.descriptor_choice.over
    counting = [c for c in considered if c.counts]
    over_half = [c for c in counting if over(c.days, period)]
    scoring = [c for c in counting if c.points > 0]
    if over_half:
        rule = ONE_OVER if len(over_half) == 1 else SEVERAL_OVER
        code = _most(over_half, lambda c: (c.points, c.days))
    elif over(sum(c.days for c in scoring), period):
        most_days = max(c.days for c in scoring)
        tied = [c for c in scoring if c.days == most_days]
        rule = TOGETHER_OVER if len(tied) == 1 else TOGETHER_EQUAL
        code = _most(tied, lambda c: (c.points,))
    else:
        rule, code = NONE_OVER, activity.zero_point_descriptor().code
    descriptor = activity.descriptor(code)
    if descriptor is None:  # the codes come from the activity itself
        raise ValueError(f"activity {activity.number} has no descriptor {code}")
    return descriptor, DescriptorChoice(period, rule, tuple(considered))


def _most(
    candidates: list[ConsideredDescriptor], key: Callable[[ConsideredDescriptor], tuple[int, ...]]
) -> str:
    """The first in the schedule's order among those with the greatest key (equal points score
    the same, so which of them is named does not change the award)."""
    best = max(key(c) for c in candidates)
    return next(c.descriptor for c in candidates if key(c) == best)


def choice_lines(
    activity: Activity, descriptor: Descriptor, choice: DescriptorChoice, rules: RuleSet
) -> list[ExplanationLine]:
    """The reliability lines for descriptors that do not count, then the activity's line."""
    lines = [_unreliable_line(activity, c, rules) for c in choice.considered if not c.counts]
    text = (
        f"{activity.name}: you scored {plural(descriptor.points, 'point')} "
        f'(descriptor {descriptor.code}: "{descriptor.text}"). {_why(descriptor, choice, rules)}'
    )
    citation = citations(activity.citation, _citation(choice.rule, rules))
    lines.append(ExplanationLine(f"functional.activity.{activity.number}", citation, text))
    return lines


def _citation(rule: str, rules: RuleSet) -> str:
    choice = rules.descriptor_choice
    return {
        ONE_OVER: choice.one_over_citation,
        SEVERAL_OVER: choice.several_over_citation,
        TOGETHER_OVER: choice.together_over_citation,
        TOGETHER_EQUAL: choice.together_equal_citation,
        NONE_OVER: choice.none_over_citation,
    }[rule]


def _why(descriptor: Descriptor, choice: DescriptorChoice, rules: RuleSet) -> str:
    period = plural(choice.period_days, "day")
    counting = [c for c in choice.considered if c.counts]
    scoring = [c for c in counting if c.points > 0]
    together = sum(c.days for c in scoring)
    each = _days_list(scoring)
    chosen_days = next((c.days for c in counting if c.descriptor == descriptor.code), 0)
    if choice.rule == ONE_OVER:
        return (
            f"It applies on {chosen_days} of the {period}, more than half, "
            "so it is the descriptor that counts."
        )
    if choice.rule == SEVERAL_OVER:
        over = [c for c in counting if rules.descriptor_choice.over(c.days, choice.period_days)]
        return (
            f"{listed([c.descriptor for c in over])} each apply on more than half of the {period} "
            f"({_days_list(over)}), so the one that scores the most points counts."
        )
    if choice.rule == TOGETHER_OVER:
        return (
            f"No descriptor applies on more than half of the {period} on its own, but the "
            f"descriptors that score points apply on {together} days added together "
            f"({each}), more than half, so the one that applies on the most days counts."
        )
    if choice.rule == TOGETHER_EQUAL:
        tied = [c.descriptor for c in scoring if c.days == chosen_days]
        return (
            f"No descriptor applies on more than half of the {period} on its own, but the "
            f"descriptors that score points apply on {together} days added together "
            f"({each}), more than half. {listed(tied)} apply on the same number of days, "
            "so the one that scores the most points counts."
        )
    return (
        f"No descriptor that scores points applies on more than half of the {period}, on its "
        f"own or added together ({together} days), so this activity scores no points."
    )


def _unreliable_line(
    activity: Activity, considered: ConsideredDescriptor, rules: RuleSet
) -> ExplanationLine:
    text = next(d.text for d in activity.descriptors if d.code == considered.descriptor)
    unmet = [c for c in rules.reliability.criteria if not considered.reliability[c.code]]
    every = listed([c.text for c in rules.reliability.criteria])
    return ExplanationLine(
        f"functional.activity.{activity.number}.reliability.{considered.descriptor}",
        citations(rules.reliability.citation, *(c.citation for c in unmet)),
        f"{activity.name}: you cannot do what descriptor {considered.descriptor} describes "
        f'("{text}") {listed([c.text for c in unmet], "or")}. A descriptor applies only if you '
        f"can do it {every}, so we "
        "treat you as not able to, and it does not count.",
    )


def _days_list(items: list[ConsideredDescriptor]) -> str:
    return ", ".join(f"{c.descriptor} on {plural(c.days, 'day')}" for c in items)
