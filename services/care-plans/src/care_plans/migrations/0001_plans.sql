-- A care plan is a history of immutable versions; `plans` points at the current one.
CREATE TABLE plans (
    plan_id          text PRIMARY KEY,
    person_id        text NOT NULL,
    current_version  int NOT NULL,
    status           text NOT NULL,
    created_at       timestamptz NOT NULL DEFAULT now(),
    updated_at       timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX plans_by_person ON plans (person_id, created_at DESC);

CREATE TABLE plan_versions (
    plan_id      text NOT NULL REFERENCES plans (plan_id),
    number       int NOT NULL CHECK (number >= 1),
    status       text NOT NULL,
    decision_id  text NOT NULL,
    body         jsonb NOT NULL,
    created_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (plan_id, number)
);
