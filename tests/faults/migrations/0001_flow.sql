-- What the fault test's producer changed and what its consumer applied. `applied` has no unique
-- key on purpose: were an event applied twice, the test would see both rows.
CREATE TABLE produced (
  event_id text PRIMARY KEY,
  subject text NOT NULL,
  produced_at timestamptz NOT NULL DEFAULT clock_timestamp()
);
CREATE TABLE applied (
  event_id text NOT NULL,
  subject text NOT NULL,
  applied_at timestamptz NOT NULL DEFAULT clock_timestamp()
);
