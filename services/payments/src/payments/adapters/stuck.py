"""Payments' stuck-case lists for national operations (servicekit.stuck)."""

from servicekit.stuck import StuckList

STUCK = (
    StuckList(
        "decided_no_schedule",
        "Decided, but no payment schedule",
        "minutes",
        "SELECT a.person_id, a.award_id AS reference, a.created_at AS since,"
        " 'award ' || a.award_id || ' has no scheduled payment' AS detail FROM awards a"
        " WHERE a.created_at < now() - make_interval(mins => $1) AND NOT EXISTS"
        " (SELECT 1 FROM scheduled_payments s WHERE s.award_id = a.award_id)"
        " ORDER BY a.created_at LIMIT $2",
    ),
    StuckList(
        "due_in_no_run",
        "Payment due, but in no payment run",
        "days",
        "SELECT person_id, instruction_id::text AS reference, due_date::timestamptz AS since,"
        " 'due ' || due_date || ', ' || amount_pence || ' pence' AS detail"
        " FROM scheduled_payments WHERE status = 'scheduled' AND last_run_id IS NULL"
        " AND due_date < current_date - $1::int ORDER BY due_date LIMIT $2",
    ),
    StuckList(
        "held",
        "Held payments",
        "days",
        "SELECT person_id, instruction_id::text AS reference, updated_at AS since,"
        " coalesce(hold_reason, 'held') AS detail FROM scheduled_payments"
        " WHERE status = 'held' AND updated_at < now() - make_interval(days => $1)"
        " ORDER BY updated_at LIMIT $2",
    ),
)
