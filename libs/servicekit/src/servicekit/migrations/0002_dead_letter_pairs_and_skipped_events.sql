-- A dead letter's row is written before its topic record and marked once the broker has it, so a
-- crash between the two is finished on redelivery (servicekit/deadletter.py). Rows written
-- before this migration were written after their record was published.
ALTER TABLE dead_letters ADD COLUMN published_at timestamptz;
UPDATE dead_letters SET published_at = dead_lettered_at;

-- Events of a type this service's consumer does not know, skipped by the tolerant reader and
-- counted here so that operations can see them (servicekit/skipped.py).
CREATE TABLE skipped_events (
    consumer       text NOT NULL,
    event_type     text NOT NULL,
    topic          text NOT NULL,
    skipped        bigint NOT NULL DEFAULT 1,
    first_seen_at  timestamptz NOT NULL DEFAULT now(),
    last_seen_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (consumer, event_type)
);
