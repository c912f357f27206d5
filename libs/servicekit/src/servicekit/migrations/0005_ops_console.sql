-- What the operations console reads and does (servicekit.ops_api, servicekit.deliveries,
-- servicekit.replay): where each dead letter's record is on its dead-letter topic, what became
-- of it (replayed, discarded, dead-lettered again), the duplicates the inbox absorbed, what each
-- replayed record did here, and indexes to find a person's or a flow's events in the outbox.
ALTER TABLE dead_letters
    ADD COLUMN dlq_partition     int,
    ADD COLUMN dlq_offset        bigint,
    ADD COLUMN replay_id         text,     -- the replay this delivery came from; NULL: first delivery
    ADD COLUMN replay_of         bigint,   -- the dead letter it was replayed from
    ADD COLUMN resolution        text CHECK (resolution IN ('replayed', 'discarded', 'dead_lettered_again')),
    ADD COLUMN resolved_at       timestamptz,
    ADD COLUMN resolved_by       text,
    ADD COLUMN resolution_reason text;
CREATE INDEX dead_letters_open ON dead_letters (consumer, id) WHERE resolution IS NULL;
CREATE INDEX dead_letters_by_event ON dead_letters (event_id);
UPDATE servicekit_insert_only
   SET updatable_columns = '{published_at,dlq_partition,dlq_offset,resolution,resolved_at,resolved_by,resolution_reason}'
 WHERE table_name = 'dead_letters';

-- Deliveries the inbox recognised as already applied, counted per consumer and topic.
CREATE TABLE inbox_duplicates (
    consumer       text NOT NULL,
    topic          text NOT NULL,
    duplicates     bigint NOT NULL DEFAULT 1,
    last_event_id  text,
    first_seen_at  timestamptz NOT NULL DEFAULT now(),
    last_seen_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (consumer, topic)
);

-- What a replayed record did here: applied, absorbed by the inbox, or dead-lettered again.
CREATE TABLE replay_outcomes (
    replay_id       text NOT NULL,
    consumer        text NOT NULL,
    event_id        text,
    outcome         text NOT NULL CHECK (outcome IN ('applied', 'duplicate', 'dead_lettered')),
    topic           text NOT NULL,
    partition       int NOT NULL,
    "offset"        bigint NOT NULL,
    attempts        int,                 -- for dead_lettered: every attempt so far, replays included
    dead_letter_id  bigint,              -- for dead_lettered: the new dead letter
    at              timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (replay_id, consumer)
);
INSERT INTO servicekit_insert_only (table_name) VALUES ('replay_outcomes');

CREATE INDEX outbox_by_key ON outbox (key);
CREATE INDEX outbox_by_correlation ON outbox ((payload ->> 'correlationid'));
CREATE INDEX inbox_by_event ON inbox (event_id);

-- Every operator's action on a dead letter, with who did it and why (insert-only: the audit).
CREATE TABLE dead_letter_actions (
    id              bigserial PRIMARY KEY,
    dead_letter_id  bigint NOT NULL REFERENCES dead_letters (id),
    action          text NOT NULL CHECK (action IN ('replay', 'discard')),
    operator        text NOT NULL,
    replay_id       text,
    reason          text,
    at              timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX dead_letter_actions_by_letter ON dead_letter_actions (dead_letter_id);
INSERT INTO servicekit_insert_only (table_name) VALUES ('dead_letter_actions');

-- Messages out and in per minute over the last hour (servicekit.ops_api /ops/flows).
CREATE INDEX outbox_published_at ON outbox (published_at) WHERE published_at IS NOT NULL;
CREATE INDEX inbox_processed_at ON inbox (processed_at);
