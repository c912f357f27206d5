-- Transactional outbox: rows are written in the same transaction as the state change they
-- announce, and published in `position` order by the service's single relay.
CREATE TABLE outbox (
    position      bigserial PRIMARY KEY,
    id            uuid NOT NULL UNIQUE,
    topic         text NOT NULL,
    key           text NOT NULL,
    type          text NOT NULL,
    payload       jsonb NOT NULL,
    headers       jsonb NOT NULL DEFAULT '{}',
    created_at    timestamptz NOT NULL DEFAULT now(),
    published_at  timestamptz
);
CREATE INDEX outbox_pending ON outbox (position) WHERE published_at IS NULL;

-- Inbox: one row per event a consumer has applied, written with the effects of applying it,
-- so a redelivered event is recognised and changes nothing.
CREATE TABLE inbox (
    consumer      text NOT NULL,
    source        text NOT NULL,
    event_id      text NOT NULL,
    event_type    text NOT NULL,
    processed_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (consumer, source, event_id)
);

-- Messages this service could not process and sent to its dead-letter topic.
CREATE TABLE dead_letters (
    id              bigserial PRIMARY KEY,
    consumer        text NOT NULL,
    topic           text NOT NULL,
    partition       int NOT NULL,
    "offset"        bigint NOT NULL,
    event_id        text,
    event_type      text,
    error_class     text NOT NULL,
    reason          text NOT NULL,
    attempts        int NOT NULL,
    dead_lettered_at timestamptz NOT NULL DEFAULT now(),
    UNIQUE (consumer, topic, partition, "offset")
);
