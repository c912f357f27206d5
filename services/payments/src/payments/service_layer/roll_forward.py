"""Keeping every award's schedule about three periods ahead, in batches, before each run.

Awards are taken in key order, locked, skipping those another worker holds; each batch's new
periods are planned in memory and written at once. Re-running it adds nothing (ids are
deterministic and each award's next period to plan moves past the horizon).
"""

import logging
from datetime import date

from payments.domain.award import SCHEDULE_HORIZON, Award
from payments.domain.working_days import DateOutsideCalendar, WorkingDayCalendar
from payments.service_layer.ports import MakeUnitOfWork
from payments.service_layer.side_by_side import side_by_side

log = logging.getLogger(__name__)


async def roll_forward(
    run_date: date,
    make_uow: MakeUnitOfWork,
    calendar: WorkingDayCalendar,
    batch_size: int = 2_000,
    workers: int = 2,
) -> int:
    """Periods planned. Workers go side by side, each on awards the others have not locked."""
    until = run_date + SCHEDULE_HORIZON

    async def worker() -> int:
        return await _extend_awards(until, make_uow, calendar, batch_size)

    return sum(await side_by_side(worker, workers))


async def _extend_awards(
    until: date, make_uow: MakeUnitOfWork, calendar: WorkingDayCalendar, batch_size: int
) -> int:
    after, extended = "", 0
    while True:
        async with make_uow() as uow:
            awards = await uow.awards.due_to_extend(until, after, batch_size)
            if not awards:
                return extended
            for award in awards:
                _extend(award, until, calendar)
            await uow.awards.save_extended(awards)
            await uow.commit()
        extended += sum(len(a.changes.extended) for a in awards)
        after = awards[-1].award_id


def _extend(award: Award, until: date, calendar: WorkingDayCalendar) -> None:
    try:
        award.extend(until, calendar)
    except DateOutsideCalendar as exc:  # left as it is, so the next run tries again
        log.error("cannot extend the schedule of award %s: %s", award.award_id, exc)
