"""The award: weekly rates for each component's band, less the weekly contribution.

`net_*` is what is paid: the award after the contribution when the decision is eligible,
otherwise 0. `after_contribution_*` is the award after the contribution before the eligibility
test, shown to explain a decision that is not eligible.
"""

from dataclasses import dataclass

from wording import pounds

from assessment.domain.explanation import ExplanationLine
from assessment.domain.functional import ComponentResult
from assessment.domain.money import monthly_equivalent
from assessment.domain.rules import RuleSet


@dataclass(frozen=True)
class Award:
    weekly_pence_by_component: dict[str, int]
    gross_weekly_pence: int
    weekly_contribution_pence: int
    after_contribution_weekly_pence: int
    after_contribution_monthly_pence: int
    net_weekly_pence: int
    net_monthly_pence: int


def gross_by_component(components: dict[str, ComponentResult], rules: RuleSet) -> dict[str, int]:
    return {
        code: rules.weekly_rates[code].for_band(result.band) for code, result in components.items()
    }


def build_award(
    by_component: dict[str, int], contribution: int, rules: RuleSet, needs_and_means_met: bool
) -> Award:
    gross = sum(by_component.values())
    after_contribution = max(0, gross - contribution)
    net = after_contribution if needs_and_means_met else 0
    return Award(
        weekly_pence_by_component=dict(by_component),
        gross_weekly_pence=gross,
        weekly_contribution_pence=contribution,
        after_contribution_weekly_pence=after_contribution,
        after_contribution_monthly_pence=_monthly(after_contribution, rules),
        net_weekly_pence=net,
        net_monthly_pence=_monthly(net, rules),
    )


def _monthly(weekly_pence: int, rules: RuleSet) -> int:
    return monthly_equivalent(weekly_pence, rules.award.weeks_per_year, rules.award.months_per_year)


def award_lines(
    award: Award, components: dict[str, ComponentResult], rules: RuleSet, needs_and_means_met: bool
) -> list[ExplanationLine]:
    lines = []
    for component in rules.components:
        band = components[component.code].band
        weekly = award.weekly_pence_by_component[component.code]
        rate = "you do not qualify" if band == "none" else f"{band} rate"
        lines.append(
            ExplanationLine(
                f"award.{component.code}",
                rules.weekly_rates[component.code].citation,
                f"{component.title} part: {rate}, {pounds(weekly)} a week.",
            )
        )
    monthly = rules.award
    lines += [
        ExplanationLine(
            "award.net",
            rules.means_test.contribution_citation,
            f"Your award before your contribution is {pounds(award.gross_weekly_pence)} a week. "
            f"After taking off your contribution of {pounds(award.weekly_contribution_pence)}, "
            f"it {'is' if needs_and_means_met else 'would be'} "
            f"{pounds(award.after_contribution_weekly_pence)} a week.",
        ),
        ExplanationLine(
            "award.monthly",
            monthly.monthly_citation,
            f"That is {pounds(award.after_contribution_monthly_pence)} a month (the weekly amount "
            f"× {monthly.weeks_per_year} ÷ {monthly.months_per_year}, to the nearest penny).",
        ),
    ]
    return lines
