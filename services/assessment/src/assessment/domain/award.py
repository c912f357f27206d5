"""The award: weekly rates for each component's band, less the weekly contribution."""

from dataclasses import dataclass

from assessment.domain.explanation import ExplanationLine
from assessment.domain.functional import ComponentResult
from assessment.domain.money import monthly_equivalent, pounds
from assessment.domain.rules import RuleSet


@dataclass(frozen=True)
class Award:
    weekly_pence_by_component: dict[str, int]
    gross_weekly_pence: int
    contribution_weekly_pence: int
    net_weekly_pence: int
    net_monthly_pence: int
    # what is actually paid: the net award if the decision is eligible, otherwise 0
    payable_weekly_pence: int
    payable_monthly_pence: int


def gross_by_component(components: dict[str, ComponentResult], rules: RuleSet) -> dict[str, int]:
    return {
        code: rules.weekly_rates[code].for_band(result.band) for code, result in components.items()
    }


def build_award(
    by_component: dict[str, int], contribution: int, rules: RuleSet, eligible_before_net: bool
) -> Award:
    gross = sum(by_component.values())
    net = max(0, gross - contribution)
    payable = net if eligible_before_net else 0
    monthly = rules.award
    return Award(
        weekly_pence_by_component=dict(by_component),
        gross_weekly_pence=gross,
        contribution_weekly_pence=contribution,
        net_weekly_pence=net,
        net_monthly_pence=monthly_equivalent(net, monthly.weeks_per_year, monthly.months_per_year),
        payable_weekly_pence=payable,
        payable_monthly_pence=monthly_equivalent(
            payable, monthly.weeks_per_year, monthly.months_per_year
        ),
    )


def award_lines(
    award: Award, components: dict[str, ComponentResult], rules: RuleSet, eligible_before_net: bool
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
            f"After taking off your contribution of {pounds(award.contribution_weekly_pence)}, "
            f"it {'is' if eligible_before_net else 'would be'} "
            f"{pounds(award.net_weekly_pence)} a week.",
        ),
        ExplanationLine(
            "award.monthly",
            monthly.monthly_citation,
            f"That is {pounds(award.net_monthly_pence)} a month (the weekly amount × "
            f"{monthly.weeks_per_year} ÷ {monthly.months_per_year}, to the nearest penny).",
        ),
    ]
    return lines
