"""Money is integer pence everywhere (worded only by `wording.pounds`)."""

from care_plans.domain.errors import InvalidMoney


def require_pence(value: object, field: str) -> int:
    """`value` if it is a non-negative whole number of pence; InvalidMoney naming `field` if not."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidMoney(
            field,
            f"must be a whole number of pence (an integer), got {value!r} ({type(value).__name__})",
        )
    if value < 0:
        raise InvalidMoney(field, f"must not be negative, got {value}")
    return value
