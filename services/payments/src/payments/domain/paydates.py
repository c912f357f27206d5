"""When a period's payment is due: C&P Regs 2013 reg 47.

UC is paid monthly in arrears within 7 days of the last day of the assessment period. When that
day is not a working day the payment is made on the previous working day (DWP practice).
"""

from datetime import date, timedelta

from payments.domain.working_days import WorkingDayCalendar

DAYS_AFTER_PERIOD_END = 7


def payment_due_date(period_end: date, calendar: WorkingDayCalendar) -> date:
    latest = period_end + timedelta(days=DAYS_AFTER_PERIOD_END)
    return calendar.working_day_on_or_before(latest)
