"""Assessment's stuck-case lists for national operations (servicekit.stuck)."""

from servicekit.stuck import StuckList

STUCK = (
    StuckList(
        "reconsideration_waiting",
        "Reconsideration near or past its deadline",
        "days",
        "SELECT person_id, reconsideration_id AS reference, requested_at AS since,"
        " 'requested ' || requested_on || ', not decided' AS detail FROM reconsiderations"
        " WHERE status = 'requested' AND requested_on <= current_date - $1::int"
        " ORDER BY requested_on LIMIT $2",
    ),
)
