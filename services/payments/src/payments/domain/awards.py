"""Award decisions as versions, and which one governs an assessment period.

Each decision version is a complete statement of the award from its effective date onwards, and
a later decision supersedes earlier ones from its own effective date (that is how a backdated
reconsideration or a termination takes over). Two rules decide whether a version reaches a period:

- change of circumstances, reconsideration, termination: in force on the period's LAST day, so it
  governs the whole period (D&A Regs 2013 Sch 1 para 20);
- uprating: new rates apply to periods BEGINNING on or after the uprating date, so a period that
  straddles the date is paid wholly at the old rates (DWP's "applies by AP start").
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from enum import Enum

from payments.domain.errors import InvalidDecision, PaymentsError
from payments.domain.money import monthly_from_weekly, require_non_negative_pence
from payments.domain.periods import AssessmentPeriod


class AppliesBy(Enum):
    PERIOD_END = "period_end"
    PERIOD_START = "period_start"


class NoAwardInForce(PaymentsError, LookupError):
    """No decision version reaches the period: nothing can be calculated for it."""


@dataclass(frozen=True, slots=True)
class WeeklyComponent:
    name: str
    weekly_pence: int

    def __post_init__(self) -> None:
        require_non_negative_pence(self.weekly_pence, f"weekly amount of {self.name!r}")


@dataclass(frozen=True, slots=True)
class AwardVersion:
    decision_version: int
    effective_from: date
    components: tuple[WeeklyComponent, ...]
    rule_set_id: str
    monthly_means_test_reduction_pence: int = 0
    applies_by: AppliesBy = AppliesBy.PERIOD_END

    def __post_init__(self) -> None:
        object.__setattr__(self, "components", tuple(self.components))
        require_non_negative_pence(
            self.monthly_means_test_reduction_pence, "monthly means-test reduction"
        )

    @property
    def gross_monthly_pence(self) -> int:
        """The weekly total converted once, as the decision states it."""
        return monthly_from_weekly(sum(c.weekly_pence for c in self.components))

    @property
    def net_monthly_pence(self) -> int:
        """What the award pays a month: the gross less the means-test reduction (the decision's
        `award.net_monthly_pence`)."""
        return max(0, self.gross_monthly_pence - self.monthly_means_test_reduction_pence)

    def reaches(self, period: AssessmentPeriod) -> bool:
        return self.effective_from <= self.deciding_day(period)

    def deciding_day(self, period: AssessmentPeriod) -> date:
        return period.end if self.applies_by is AppliesBy.PERIOD_END else period.start


def award_in_force(period: AssessmentPeriod, versions: Sequence[AwardVersion]) -> AwardVersion:
    """The latest decision version that reaches ``period``."""
    _require_unique_versions(versions)
    reaching = [v for v in versions if v.reaches(period)]
    if not reaching:
        raise NoAwardInForce(f"no award decision is in force for {period.start} to {period.end}")
    return max(reaching, key=lambda v: v.decision_version)


def _require_unique_versions(versions: Sequence[AwardVersion]) -> None:
    numbers = [v.decision_version for v in versions]
    if len(numbers) != len(set(numbers)):
        raise ValueError(f"decision versions must be unique, got {sorted(numbers)}")


@dataclass(frozen=True)
class Decision:
    """An assessment decision, as payments needs it."""

    decision_id: str
    decision_version: int
    effective_date: date
    eligible: bool
    rule_set_id: str
    weekly_pence_by_component: tuple[tuple[str, int], ...]
    weekly_contribution_pence: int

    def terms(self, sequence: int) -> AwardVersion:
        """This decision as the award's version number ``sequence``. Its net monthly amount is
        the decision's: (gross - contribution) weekly, converted once."""
        try:
            for name, weekly in self.weekly_pence_by_component:
                if weekly < 0:
                    raise ValueError(f"component {name} has a negative weekly amount")
            components = tuple(
                WeeklyComponent(name, weekly)
                for name, weekly in self.weekly_pence_by_component
                if self.eligible and weekly > 0
            )
            gross_weekly = sum(c.weekly_pence for c in components)
            contribution = self.weekly_contribution_pence if components else 0
            reduction = monthly_from_weekly(gross_weekly) - monthly_from_weekly(
                max(0, gross_weekly - contribution)
            )
            return AwardVersion(
                decision_version=sequence,
                effective_from=self.effective_date,
                components=components,
                rule_set_id=self.rule_set_id,
                monthly_means_test_reduction_pence=reduction,
            )
        except (TypeError, ValueError) as exc:
            raise InvalidDecision(f"decision {self.decision_id}: {exc}") from exc


@dataclass(frozen=True, slots=True)
class RecordedDecision:
    """A decision the award has taken in, as its version ``terms.decision_version``."""

    decision_id: str
    decision_version: int
    terms: AwardVersion
