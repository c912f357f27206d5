-- Payment lifecycle on the schedule: what a period's payment is made of, where it stands.
ALTER TABLE scheduled_payments
    ADD COLUMN kind text NOT NULL DEFAULT 'period' CHECK (kind IN ('period', 'arrears')),
    ADD COLUMN entitlement_pence bigint NOT NULL DEFAULT 0 CHECK (entitlement_pence >= 0),
    ADD COLUMN recovery_pence bigint NOT NULL DEFAULT 0 CHECK (recovery_pence >= 0),
    -- entitlement recognised in the ledger for this row (NULL until a run or a recalculation
    -- posts it); a row with it set is "paid" for recalculation purposes and never re-planned
    ADD COLUMN accrued_entitlement_pence bigint,
    ADD COLUMN attempts int NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    ADD COLUMN hold_reason text,
    ADD COLUMN last_run_id text,
    ADD COLUMN last_file_id text,
    ADD COLUMN executed_on date,
    ADD COLUMN failure jsonb;
UPDATE scheduled_payments SET entitlement_pence = amount_pence;
ALTER TABLE scheduled_payments
    ADD CONSTRAINT amount_is_entitlement_less_recovery
        CHECK (amount_pence = entitlement_pence - recovery_pence),
    DROP CONSTRAINT scheduled_payments_award_id_period_start_key,
    DROP CONSTRAINT scheduled_payments_status_check,
    ADD CONSTRAINT scheduled_payments_status_check
        CHECK (status IN ('scheduled', 'instructed', 'paid', 'held', 'nil'));
CREATE UNIQUE INDEX scheduled_payments_one_per_period
    ON scheduled_payments (award_id, period_start) WHERE kind = 'period';

-- Where each award's schedule has got to; NULL once it has ended.
ALTER TABLE awards ADD COLUMN next_period_start date;
CREATE INDEX awards_to_roll_forward ON awards (next_period_start, award_id);

CREATE TABLE bank_accounts (
    person_id       text PRIMARY KEY,
    payee_name      text NOT NULL,
    sort_code       text NOT NULL CHECK (sort_code ~ '^[0-9]{6}$'),
    account_number  text NOT NULL CHECK (account_number ~ '^[0-9]{8}$'),
    updated_at      timestamptz NOT NULL DEFAULT now()
);

-- What Universal Credit assessed for each of its assessment periods.
CREATE TABLE uc_periods (
    person_id              text NOT NULL,
    uc_claim_id            text NOT NULL,
    period_start           date NOT NULL,
    period_end             date NOT NULL,
    capital_pence          bigint NOT NULL CHECK (capital_pence >= 0),
    unearned_income_pence  bigint NOT NULL CHECK (unearned_income_pence >= 0),
    earned_income_pence    bigint NOT NULL CHECK (earned_income_pence >= 0),
    recorded_at            timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (person_id, uc_claim_id, period_start)
);

CREATE TABLE overpayments (
    overpayment_id     text PRIMARY KEY,
    person_id          text NOT NULL,
    award_id           text NOT NULL REFERENCES awards (award_id),
    amount_pence       bigint NOT NULL CHECK (amount_pence > 0),
    outstanding_pence  bigint NOT NULL CHECK (outstanding_pence BETWEEN 0 AND amount_pence),
    reason             text NOT NULL,
    raised_at          timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX overpayments_open ON overpayments (person_id) WHERE outstanding_pence > 0;

CREATE TABLE payment_runs (
    run_id        text PRIMARY KEY,
    run_date      date NOT NULL,
    status        text NOT NULL CHECK (status IN ('in_progress', 'completed')),
    batches       int NOT NULL DEFAULT 0,
    instructed    int NOT NULL DEFAULT 0,
    held          int NOT NULL DEFAULT 0,
    nil           int NOT NULL DEFAULT 0,
    total_pence   bigint NOT NULL DEFAULT 0,
    started_at    timestamptz NOT NULL DEFAULT now(),
    completed_at  timestamptz
);
-- At most one unfinished run: a crashed run must be resumed before another starts.
CREATE UNIQUE INDEX payment_runs_one_open ON payment_runs ((true)) WHERE status = 'in_progress';

-- One pain.001 file per batch, written in the batch's transaction.
CREATE TABLE bank_files (
    file_id       text PRIMARY KEY,
    run_id        text NOT NULL REFERENCES payment_runs (run_id),
    batch_no      int NOT NULL,
    transactions  int NOT NULL,
    total_pence   bigint NOT NULL,
    content       bytea NOT NULL,
    created_at    timestamptz NOT NULL DEFAULT now(),
    UNIQUE (run_id, batch_no)
);

CREATE TABLE bank_response_files (
    sha256       text PRIMARY KEY,
    received_at  timestamptz NOT NULL DEFAULT now(),
    summary      jsonb NOT NULL
);
CREATE TABLE bank_responses (
    sha256          text NOT NULL REFERENCES bank_response_files (sha256),
    line            int NOT NULL,
    instruction_id  uuid NOT NULL,
    attempt         int NOT NULL,
    status          text NOT NULL,
    reason          text,
    outcome         text NOT NULL,
    PRIMARY KEY (sha256, line)
);
