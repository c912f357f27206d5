"""What changed between two versions of a plan, in words a person reads."""

from contracts.api.care_plans import PlanVersionView
from wording import pounds

from portal.i18n import gettext as _


def what_changed(
    before: PlanVersionView | None, after: PlanVersionView, names: dict[str, str]
) -> list[str]:
    if before is None:
        return [_("The first version of your plan, made from your decision.")]
    lines = []
    if after.weekly_budget_pence != before.weekly_budget_pence:
        lines.append(
            _("Your budget changed from %(old)s to %(new)s a week.")
            % {"old": pounds(before.weekly_budget_pence), "new": pounds(after.weekly_budget_pence)}
        )
    old = {i.service_code: i for i in before.items}
    new = {i.service_code: i for i in after.items}
    for code in new.keys() - old.keys():
        lines.append(_("Added: %(service)s.") % {"service": new[code].description})
    for code in old.keys() - new.keys():
        lines.append(_("Removed: %(service)s.") % {"service": old[code].description})
    for code in sorted(new.keys() & old.keys()):
        lines += _item_changes(old[code], new[code], names)
    lines += _support_changes(before, after)
    if after.status != before.status and not lines:
        lines.append(_status_change(after))
    if after.change_request:
        lines.append(
            _("You asked for changes: %(reason)s") % {"reason": after.change_request.reason}
        )
    if after.top_up and not before.top_up:
        lines.append(
            _("Extra funding of %(amount)s a week was approved: %(reason)s")
            % {"amount": pounds(after.top_up.pence), "reason": after.top_up.reason}
        )
    return lines or [_("Nothing in the plan changed.")]


def _item_changes(old, new, names: dict[str, str]) -> list[str]:
    lines = []
    if new.units_per_week != old.units_per_week:
        lines.append(
            _("%(service)s: %(old)s to %(new)s a week.")
            % {"service": new.description, "old": old.units_per_week, "new": new.units_per_week}
        )
    if new.provider_id != old.provider_id:
        who = names.get(new.provider_id or "", new.provider_id) or _("you arrange it")
        lines.append(_("%(service)s: now from %(who)s.") % {"service": new.description, "who": who})
    if new.arranged_by != old.arranged_by:
        lines.append(
            (
                _("%(service)s: you now arrange it with a direct payment.")
                if new.arranged_by == "person"
                else _("%(service)s: we now arrange it and pay the provider.")
            )
            % {"service": new.description}
        )
    return lines


def _support_changes(before: PlanVersionView, after: PlanVersionView) -> list[str]:
    old = {s.outcome: s for s in before.other_support}
    new = {s.outcome: s for s in after.other_support}
    lines = [
        _("Now met another way: %(need)s. %(how)s")
        % {"need": after.outcome_texts.get(code, code), "how": new[code].description}
        for code in sorted(new)
        if new[code] != old.get(code)
    ]
    lines += [
        _("No longer met another way: %(need)s.") % {"need": before.outcome_texts.get(code, code)}
        for code in sorted(old.keys() - new.keys())
    ]
    return lines


def _status_change(after: PlanVersionView) -> str:
    return {
        "proposed": _("Your assessor sent you the plan to agree."),
        "agreed": _("The plan was agreed."),
        "under_review": _("A review of the plan started."),
        "ended": _("The plan ended."),
        "superseded": _("The plan was agreed."),
    }.get(after.status, _("The plan's status changed."))
