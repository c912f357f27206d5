"""The GOV.UK date input: three fields (day, month, year) read into a date, each problem named
as the Design System words it."""

from datetime import date

from portal.forms import Form
from portal.i18n import N_
from portal.i18n import gettext as _

PARTS = (N_("day"), N_("month"), N_("year"))


def read_date(form: Form, name: str, what: str) -> tuple[date | None, dict[str, str]]:
    """(the date or None, the raw parts to show again). `what` names the date in messages,
    e.g. "The date it changed"."""
    raw = {part: form.get(f"{name}-{part}").strip() for part in PARTS}
    missing = [part for part in PARTS if not raw[part]]
    anchor = f"{name}-{missing[0] if missing else 'day'}"
    if len(missing) == len(PARTS):
        form.error(name, _("Enter %(what)s") % {"what": what[0].lower() + what[1:]}, anchor)
        return None, raw
    if missing:
        parts = _(" and ").join(_(part) for part in missing)
        form.error(
            name, _("%(what)s must include a %(parts)s") % {"what": what, "parts": parts}, anchor
        )
        return None, raw
    try:
        day = date(int(raw["year"]), int(raw["month"]), int(raw["day"]))
    except ValueError:
        form.error(name, _("%(what)s must be a real date") % {"what": what}, anchor)
        return None, raw
    if day.year < 1900:
        form.error(name, _("%(what)s must be a real date") % {"what": what}, f"{name}-year")
        return None, raw
    return day, raw


def parts_of(value: str | None) -> dict[str, str]:
    if not value:
        return {}
    day = date.fromisoformat(value)
    return {"day": str(day.day), "month": str(day.month), "year": str(day.year)}
