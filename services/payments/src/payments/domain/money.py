"""Money is held as integer pence everywhere; these helpers guard and display it."""


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


def format_pounds(pence: int) -> str:
    """1234567 -> '£12,345.67'; -5 -> '-£0.05'."""
    sign = "-" if pence < 0 else ""
    pounds, pennies = divmod(abs(pence), 100)
    return f"{sign}£{pounds:,}.{pennies:02d}"
