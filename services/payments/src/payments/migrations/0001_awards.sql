-- A person's care award and every decision version that has shaped it.
CREATE TABLE awards (
    award_id     text PRIMARY KEY,
    person_id    text NOT NULL UNIQUE,
    first_day    date NOT NULL,
    uc_claim_id  text,
    created_at   timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE award_versions (
    award_id                  text NOT NULL REFERENCES awards (award_id),
    version                   int NOT NULL CHECK (version >= 1),
    decision_id               text NOT NULL UNIQUE,
    decision_version          int NOT NULL,
    effective_from            date NOT NULL,
    rule_set_id               text NOT NULL,
    components                jsonb NOT NULL,
    monthly_reduction_pence   bigint NOT NULL CHECK (monthly_reduction_pence >= 0),
    created_at                timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (award_id, version)
);

-- One row per assessment period to be paid; the id is deterministic (person, award, period),
-- so scheduling the same period twice can never create a second payment.
CREATE TABLE scheduled_payments (
    instruction_id  uuid PRIMARY KEY,
    award_id        text NOT NULL REFERENCES awards (award_id),
    person_id       text NOT NULL,
    period_start    date NOT NULL,
    period_end      date NOT NULL,
    due_date        date NOT NULL,
    amount_pence    bigint NOT NULL CHECK (amount_pence >= 0),
    statement       jsonb NOT NULL,
    status          text NOT NULL DEFAULT 'scheduled'
                    CHECK (status IN ('scheduled', 'instructed', 'paid', 'failed', 'held')),
    updated_at      timestamptz NOT NULL DEFAULT now(),
    UNIQUE (award_id, period_start)
);
CREATE INDEX scheduled_payments_due ON scheduled_payments (due_date) WHERE status = 'scheduled';
CREATE INDEX scheduled_payments_person ON scheduled_payments (person_id, period_start);

-- Universal Credit claims told to us by the benefits system ("tell us once").
CREATE TABLE uc_claims (
    person_id                 text PRIMARY KEY,
    uc_claim_id               text NOT NULL,
    first_period_start        date NOT NULL,
    closed_on                 date
);
