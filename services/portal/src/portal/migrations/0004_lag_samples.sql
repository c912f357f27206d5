-- Consumer lag per group and partition, sampled every minute by the portal (portal.lag_trend),
-- kept for an hour: the operations overview draws each partition's trend from it.
CREATE TABLE lag_samples (
    sampled_at      timestamptz NOT NULL DEFAULT now(),
    consumer_group  text NOT NULL,
    topic           text NOT NULL,
    partition       int NOT NULL,
    lag             bigint NOT NULL CHECK (lag >= 0)
);
CREATE INDEX lag_samples_at ON lag_samples (sampled_at);
