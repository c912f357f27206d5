"""A care plan's review as the caseload sees it: due (or overdue) from the care-plans service's
notice until the review is completed, a newer version of the plan is agreed, or the plan ends.

Care Act 2014 s.27: a care and support plan is kept under review; the assessor does the review.
Notices about an older version than the one in force are stale (a replay, or a notice raised
before a newer version was agreed) and change nothing.
"""

from dataclasses import dataclass
from datetime import date


@dataclass
class CarePlanReview:
    plan_id: str
    person_id: str
    version: int = 0
    """The plan's agreed version in force, as far as the events have told."""
    due_on: date | None = None
    """The review date while a review is due or overdue; None when none is."""
    ended: bool = False

    def due(self, version: int | None, due_on: date) -> None:
        """A ReviewDue or ReviewOverdue notice (`version`: the agreed version to review)."""
        if self.ended or (version is not None and version < self.version):
            return
        self.version = max(self.version, version or 0)
        self.due_on = due_on

    def settled(self, version: int) -> None:
        """`version` is agreed (a review completed, or a changed plan agreed): no review is due
        of it, nor of any version before it."""
        if version >= self.version:
            self.version, self.due_on = version, None

    def end(self) -> None:
        self.ended, self.due_on = True, None
