import pytest
from payments.calendar_loader import load_calendar
from payments.domain.working_days import WorkingDayCalendar


@pytest.fixture(scope="session")
def england_and_wales() -> WorkingDayCalendar:
    return load_calendar()
