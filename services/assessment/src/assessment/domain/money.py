"""Integer-pence arithmetic (worded only by `wording.pounds`)."""


def monthly_equivalent(
    weekly_pence: int, weeks_per_year: int = 52, months_per_year: int = 12
) -> int:
    """weekly × weeks ÷ months, a half penny or more rounded up — in integers, never floats."""
    numerator, denominator = weekly_pence * weeks_per_year, months_per_year
    return (2 * numerator + denominator) // (2 * denominator)


def ceiling_division(numerator: int, denominator: int) -> int:
    return -(-numerator // denominator)
