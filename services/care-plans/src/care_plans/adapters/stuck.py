"""Care plans' stuck-case lists for national operations (servicekit.stuck)."""

from servicekit.stuck import StuckList

STUCK = (
    StuckList(
        "eligible_no_plan",
        "Eligible, but no care plan agreed",
        "days",
        "SELECT person_id, plan_id AS reference, created_at AS since,"
        " 'plan ' || status || ', never agreed' AS detail FROM plans"
        " WHERE in_force_version IS NULL AND status <> 'ended'"
        " AND created_at < now() - make_interval(days => $1) ORDER BY created_at LIMIT $2",
    ),
    StuckList(
        "review_overdue",
        "Care plan review overdue",
        "days",
        "SELECT person_id, plan_id AS reference, review_due_on::timestamptz AS since,"
        " 'review due ' || review_due_on AS detail FROM plans"
        " WHERE status <> 'ended' AND review_due_on < current_date - $1::int"
        " ORDER BY review_due_on LIMIT $2",
    ),
)
