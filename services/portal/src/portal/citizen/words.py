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


CHANNEL = {
    "email": N_("By email"),
    "sms": N_("By text message"),
    "letter": N_("By letter"),
    "inbox": N_("In your account"),
}
DELIVERY = {
    "pending": N_("Waiting to be sent"),
    "sending": N_("Sent, not yet confirmed as delivered"),
    "temporary_failure": N_("Not delivered yet: we will try again"),
    "delivered": N_("Delivered"),
    "permanent_failure": N_("Could not be delivered: check your contact details"),
}


PAYMENT_STATUS = {
    "scheduled": N_("Due"),
    "instructed": N_("Sent to your bank"),
    "paid": N_("Paid"),
    "held": N_("On hold"),
    "nil": N_("Nothing to pay"),
}


def payment_status(status: str) -> str:
    return PAYMENT_STATUS.get(status, status)


def channel_name(channel: str) -> str:
    return CHANNEL.get(channel, channel)


def delivery_status(status: str) -> str:
    return DELIVERY.get(status, status)


def plan_status(status: str) -> str:
    return PLAN_STATUS.get(status, status)


def decision_kind(kind: str) -> str:
    return DECISION_KIND.get(kind, kind)


def decision_status(status: str) -> str:
    return DECISION_STATUS.get(status, status)
