"""How a care plan's weekly budget is split: paid to providers by the scheme (managed) and
kept by the person (direct payment). The two always add up to the budget, weekly and monthly.

Each assessment period, the managed part a month (weekly x 52 / 12) is paid to the providers
who deliver the scheme-arranged services, shared between them by their weekly cost. It comes
first out of the period's award; the person receives the rest. When the award is less than the
managed part, the providers are still paid in full for the care delivered, and the difference
is the person's contribution, collected from them (docs/payments.md, "When the award is less
than the managed care").
"""

from collections.abc import Mapping
from dataclasses import dataclass

from payments.domain.errors import InvalidArrangement
from payments.domain.money import monthly_from_weekly, require_non_negative_pence


@dataclass(frozen=True)
class ProviderLine:
    service_code: str
    provider_id: str
    description: str
    units_per_week: int
    unit_rate_pence: int
    weekly_cost_pence: int


@dataclass(frozen=True, slots=True)
class ProviderShare:
    """What one provider is paid for one person's period, and how it is funded."""

    provider_id: str
    amount_pence: int
    from_award_pence: int
    contribution_pence: int


@dataclass(frozen=True)
class ManagedCare:
    """The managed part of one period: each provider's share, from the award and from the
    person's contribution."""

    shares: tuple[ProviderShare, ...]

    @property
    def amount_pence(self) -> int:
        return sum(s.amount_pence for s in self.shares)

    @property
    def from_award_pence(self) -> int:
        return sum(s.from_award_pence for s in self.shares)

    @property
    def contribution_pence(self) -> int:
        return sum(s.contribution_pence for s in self.shares)


@dataclass(frozen=True, slots=True)
class PeriodSplit:
    """A period's payable award shared out: to its providers, recovery, to the person."""

    to_providers_pence: int
    recovery_pence: int
    to_person_pence: int


def split_award(award_pence: int, recovery_pence: int, care: ManagedCare | None) -> PeriodSplit:
    """The providers come first out of the award; an overpayment is recovered only out of the
    person's own share, and leaves them at least a penny of it (C&P Regs 2013 Sch 6)."""
    to_providers = care.from_award_pence if care else 0
    own_share = award_pence - to_providers
    recovery = min(recovery_pence, max(0, own_share - 1))
    return PeriodSplit(to_providers, recovery, own_share - recovery)


def allocate(total_pence: int, weights: Mapping[str, int]) -> dict[str, int]:
    """``total_pence`` shared in proportion to ``weights``, in whole pence that add up to it
    (largest remainder; ties go to the first key in sorted order)."""
    weight = sum(weights.values())
    if weight <= 0:
        raise ValueError("nothing to share the amount by")
    shares = {k: total_pence * w // weight for k, w in weights.items()}
    left = total_pence - sum(shares.values())
    by_remainder = sorted(weights, key=lambda k: (-(total_pence * weights[k] % weight), k))
    for key in by_remainder[:left]:
        shares[key] += 1
    return shares


@dataclass(frozen=True)
class ManagedServices:
    """A person's current arrangement: one version of one agreed plan."""

    plan_id: str
    plan_version: int
    weekly_budget_pence: int
    managed_weekly_pence: int
    direct_payment_weekly_pence: int
    top_up_weekly_pence: int
    providers: tuple[ProviderLine, ...]

    def __post_init__(self) -> None:
        for name in (
            "weekly_budget_pence",
            "managed_weekly_pence",
            "direct_payment_weekly_pence",
            "top_up_weekly_pence",
        ):
            require_non_negative_pence(getattr(self, name), name.replace("_", " "))
        if self.managed_weekly_pence + self.direct_payment_weekly_pence != (
            self.weekly_budget_pence
        ):
            raise ValueError(
                f"managed {self.managed_weekly_pence}p + direct payment "
                f"{self.direct_payment_weekly_pence}p does not add up to the weekly budget "
                f"{self.weekly_budget_pence}p"
            )

    @classmethod
    def agreed(cls, **values: object) -> "ManagedServices":
        """From care plans' figures; parts that make no sense refuse the whole event."""
        try:
            return cls(**values)  # type: ignore[arg-type]
        except (TypeError, ValueError) as exc:
            plan = f"plan {values.get('plan_id')} version {values.get('plan_version')}"
            raise InvalidArrangement(f"{plan}: {exc}") from exc

    @property
    def ended(self) -> bool:
        """The plan ended: nothing is paid to providers or to the person under it."""
        return self.weekly_budget_pence == 0 and not self.providers

    def supersedes(self, current: "ManagedServices | None") -> bool:
        """Whether this arrangement replaces `current`: a newer version of the same plan, or
        another plan (events for one person arrive in order: they are keyed by person)."""
        return (
            current is None
            or current.plan_id != self.plan_id
            or self.plan_version > current.plan_version
        )

    def for_period(self, award_pence: int) -> ManagedCare | None:
        """The providers' shares of one period whose payable award is ``award_pence``; None
        when the scheme arranges nothing that month."""
        weekly = {}
        for line in self.providers:
            weekly[line.provider_id] = weekly.get(line.provider_id, 0) + line.weekly_cost_pence
        weekly = {k: w for k, w in weekly.items() if w > 0}
        managed, _ = self.monthly_split()
        if not managed or not weekly:
            return None
        amounts = allocate(managed, weekly)
        from_award = allocate(min(managed, award_pence), amounts)
        return ManagedCare(
            tuple(
                ProviderShare(p, amounts[p], from_award[p], amounts[p] - from_award[p])
                for p in sorted(amounts)
                if amounts[p]
            )
        )

    def monthly_split(self) -> tuple[int, int]:
        """(managed, direct payment) a month. The managed part is weekly x 52 / 12 (reg 6
        rounding); the direct payment is the rest of the monthly budget, so the two add up."""
        managed = monthly_from_weekly(self.managed_weekly_pence)
        return managed, monthly_from_weekly(self.weekly_budget_pence) - managed
