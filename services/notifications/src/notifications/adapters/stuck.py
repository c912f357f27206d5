"""Notifications' stuck-case lists for national operations (servicekit.stuck)."""

from servicekit.stuck import StuckList

STUCK = (
    StuckList(
        "message_failed",
        "A message failed permanently",
        "minutes",
        "SELECT person_id, notification_id::text AS reference, updated_at AS since,"
        " channel || ' ' || template_id || ': ' || coalesce(reason, 'failed') AS detail"
        " FROM messages WHERE status = 'permanent_failure'"
        " AND updated_at < now() - make_interval(mins => $1) ORDER BY updated_at LIMIT $2",
    ),
    StuckList(
        "no_contact",
        "No contact details (only the portal inbox reaches them)",
        "days",
        "SELECT person_id, last_event_id AS reference, first_seen AS since, reason AS detail"
        " FROM contact_gaps WHERE first_seen < now() - make_interval(days => $1)"
        " ORDER BY first_seen LIMIT $2",
    ),
)
