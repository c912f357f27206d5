"""Plain-English wording shared by statements (fixed English, independent of the OS locale)."""

from datetime import date

_MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


def long_date(day: date) -> str:
    """date(2025, 4, 7) -> '7 April 2025'."""
    return f"{day.day} {_MONTHS[day.month - 1]} {day.year}"


def component_label(name: str) -> str:
    """'daily_living' -> 'Daily living'."""
    return name.replace("_", " ").strip().capitalize()


def percent_from_basis_points(basis_points: int) -> str:
    """1500 -> '15%'; 1250 -> '12.5%'; 1234 -> '12.34%'."""
    whole, hundredths = divmod(basis_points, 100)
    if not hundredths:
        return f"{whole}%"
    return f"{whole}.{hundredths:02d}".rstrip("0") + "%"
