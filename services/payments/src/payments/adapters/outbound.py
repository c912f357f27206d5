"""Payments' domain facts as published events."""

from datetime import date

from contracts.payments import v1
from payments.domain.awards import AwardVersion
from payments.domain.calculation import monthly_from_weekly
from servicekit.events import new_event


def schedule_event(person_id: str, award_id: str, decision, version: AwardVersion,  # noqa: ANN001
                   upcoming: list, first_day: date, uc_claim_id: str | None, changed: bool):  # noqa: ANN201
    gross = sum(monthly_from_weekly(c.weekly_pence) for c in version.components)
    data = dict(
        schedule_id=award_id, award_id=award_id, decision_id=decision.decision_id,
        decision_version=decision.decision_version,
        monthly_pence=max(0, gross - version.monthly_means_test_reduction_pence),
        first_period_start=first_day, aligned_to_universal_credit=uc_claim_id is not None,
        upcoming=[v1.ScheduledPayment(period_start=p.start, period_end=p.end, due_date=due,
                                      amount_pence=amount) for p, due, amount in upcoming],
    )
    if changed:
        return new_event(v1.PaymentScheduleChangedV1, source=v1.SOURCE, subject=person_id,
                         data=v1.PaymentScheduleChanged(**data, previous_decision_id=""))
    return new_event(v1.PaymentScheduleCreatedV1, source=v1.SOURCE, subject=person_id,
                     data=v1.PaymentScheduleCreated(**data))
