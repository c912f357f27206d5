"""The templates' money and date filters: `wording`'s, with '–' for a value a service left out."""

from datetime import date

import wording


def money(pence: int | None) -> str:
    return "–" if pence is None else wording.pounds(pence)


def long_date(value: str | date | None) -> str:
    if value is None:
        return "–"
    return wording.long_date(date.fromisoformat(value) if isinstance(value, str) else value)
