"""Money is integer pence everywhere; this words it as GOV.UK does: £1,234.56, -£2.50."""


def pounds(pence: int) -> str:
    """123456 -> '£1,234.56'; -250 -> '-£2.50'. Floats and bools are refused, never rounded."""
    if isinstance(pence, bool) or not isinstance(pence, int):
        raise TypeError(f"money must be an integer number of pence, got {pence!r}")
    sign = "-" if pence < 0 else ""
    whole, part = divmod(abs(pence), 100)
    return f"{sign}£{whole:,}.{part:02d}"
