"""GOV.UK style for money and dates."""

from datetime import date


def money(pence: int | None) -> str:
    if pence is None:
        return "–"
    pounds, rest = divmod(int(pence), 100)
    return f"£{pounds:,}.{rest:02d}"


def long_date(value: str | date | None) -> str:
    if value is None:
        return "–"
    day = date.fromisoformat(value) if isinstance(value, str) else value
    return f"{day.day} {day:%B %Y}"
