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

from payments.domain.money import require_non_negative_pence
from payments.domain.periods import AssessmentPeriod


class AppliesBy(Enum):
    PERIOD_END = "period_end"
    PERIOD_START = "period_start"


class NoAwardInForce(LookupError):
    """No decision version reaches the period: nothing can be calculated for it."""


@dataclass(frozen=True)
class WeeklyComponent:
    name: str
    weekly_pence: int

    def __post_init__(self) -> None:
        require_non_negative_pence(self.weekly_pence, f"weekly amount of {self.name!r}")


@dataclass(frozen=True)
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
