"""GOV.UK form handling for the assessors' pages: errors by field (the summary links to each),
a service's field names mapped to the page's, and money and dates as people type them."""

import re
from dataclasses import dataclass, field
from datetime import date

_MONEY = re.compile(r"^(?P<pounds>\d{1,9})(?:\.(?P<pence>\d{1,2}))?$")


@dataclass
class Problems:
    errors: dict[str, str] = field(default_factory=dict)

    def add(self, name: str, message: str) -> None:
        self.errors.setdefault(name, message)

    def __bool__(self) -> bool:
        return bool(self.errors)

    def summary(self) -> list[dict[str, str]]:
        return [{"text": m, "href": f"#{name}"} for name, m in self.errors.items()]

    def message(self, name: str) -> dict[str, str] | None:
        return {"text": self.errors[name]} if name in self.errors else None

    def from_service(
        self, errors: list[tuple[str, str]], fields: dict[str, str], fallback: str
    ) -> None:
        """A service's errors on this page's fields: `fields` maps the service's field name
        (or the start of it) to the input; anything else goes on `fallback`."""
        for name, message in errors:
            target = next(
                (
                    page
                    for service, page in sorted(fields.items(), key=lambda kv: -len(kv[0]))
                    if name == service or name.startswith(service + ".")
                ),
                fallback,
            )
            self.add(target, message[:1].upper() + message[1:])


def pence(text: str, problems: Problems, name: str, label: str) -> int | None:
    """Pounds and pence as typed (£1,234.50) in whole pence; an error on the field otherwise."""
    cleaned = text.strip().replace(",", "").removeprefix("£")
    if not cleaned:
        return None
    found = _MONEY.fullmatch(cleaned)
    if found is None:
        if re.fullmatch(r"\d+\.\d{3,}", cleaned):
            problems.add(name, f"{label} must be in pounds and whole pence, like 150.25")
        else:
            problems.add(name, f"{label} must be an amount of money, like 150 or 150.25")
        return None
    return int(found["pounds"]) * 100 + int((found["pence"] or "0").ljust(2, "0"))


def whole_number(text: str, problems: Problems, name: str, label: str) -> int | None:
    cleaned = text.strip()
    if not cleaned:
        return None
    if not cleaned.isdigit():
        problems.add(name, f"{label} must be a whole number, like 12")
        return None
    return int(cleaned)


def date_from(
    day: str, month: str, year: str, problems: Problems, name: str, label: str
) -> date | None:
    """A GOV.UK date input's three parts as a date; the error goes on the day field."""
    parts = [p.strip() for p in (day, month, year)]
    if not any(parts):
        return None
    try:
        return date(int(parts[2]), int(parts[1]), int(parts[0]))
    except ValueError:
        problems.add(name, f"{label} must be a real date, like 27 3 2025")
        return None


def pounds_text(value: int | None) -> str:
    """Pence as the form shows them again: 15000 -> 150.00."""
    if value is None:
        return ""
    return f"{value // 100}.{value % 100:02d}"
