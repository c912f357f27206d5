"""Money is held as integer pence everywhere; these guard it and convert weekly to monthly.
Wording money for people is `wording.pounds`."""

WEEKS_PER_YEAR = 52
MONTHS_PER_YEAR = 12


def require_pence(value: object, what: str) -> int:
    """Return ``value`` if it is a whole number of pence; refuse floats, bools and strings."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"{what} must be an integer number of pence, got {value!r}")
    return value


def require_non_negative_pence(value: object, what: str) -> int:
    pence = require_pence(value, what)
    if pence < 0:
        raise ValueError(f"{what} must not be negative, got {pence}")
    return pence


def monthly_from_weekly(weekly_pence: int) -> int:
    """weekly x 52 / 12, a fraction of a penny of one half or more rounded up (UC Regs reg 6)."""
    require_non_negative_pence(weekly_pence, "weekly amount")
    yearly = weekly_pence * WEEKS_PER_YEAR
    return (yearly + MONTHS_PER_YEAR // 2) // MONTHS_PER_YEAR
