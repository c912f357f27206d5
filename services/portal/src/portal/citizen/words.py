"""Names of statuses and kinds as a person reads them (translated where shown)."""

from portal.i18n import N_

PLAN_STATUS = {
    "draft": N_("draft: your assessor is preparing it"),
    "proposed": N_("ready for you to agree"),
    "agreed": N_("agreed"),
    "under_review": N_("being reviewed"),
    "superseded": N_("replaced by a newer version"),
    "ended": N_("ended"),
}
DECISION_KIND = {
    "new_claim": N_("Your claim"),
    "reconsideration": N_("Mandatory reconsideration"),
    "change_of_circumstances": N_("Change of circumstances"),
}
DECISION_STATUS = {
    "current": N_("In force"),
    "under_reconsideration": N_("In force, being looked at again"),
    "superseded": N_("Replaced"),
}


def plan_status(status: str) -> str:
    return PLAN_STATUS.get(status, status)


def decision_kind(kind: str) -> str:
    return DECISION_KIND.get(kind, kind)


def decision_status(status: str) -> str:
    return DECISION_STATUS.get(status, status)
