"""How a care plan's weekly budget is split: paid to providers by the scheme (managed) and
kept by the person (direct payment). The two always add up to the budget, weekly and monthly."""

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

    def monthly_split(self) -> tuple[int, int]:
        """(managed, direct payment) a month. The managed part is weekly x 52 / 12 (reg 6
        rounding); the direct payment is the rest of the monthly budget, so the two add up."""
        managed = monthly_from_weekly(self.managed_weekly_pence)
        return managed, monthly_from_weekly(self.weekly_budget_pence) - managed
