-- Paying providers for the care the scheme arranges (docs/payments.md, "Managed care").

-- A provider's journals (its payments and their returns) are about no one person.
ALTER TABLE ledger_postings
    ALTER COLUMN person_id DROP NOT NULL,
    ADD COLUMN provider_id text,
    ADD CONSTRAINT a_person_or_a_provider CHECK (person_id IS NOT NULL OR provider_id IS NOT NULL);
CREATE INDEX ledger_postings_provider ON ledger_postings (provider_id, seq)
    WHERE provider_id IS NOT NULL;

-- A person's own accounts now include what they owe as their contribution to managed care.
CREATE OR REPLACE VIEW person_ledger AS
SELECT person_id, seq, journal_id, kind, account, instruction_id, debit_pence, credit_pence,
       posted_at,
       sum(CASE WHEN account LIKE 'person:%' THEN credit_pence - debit_pence
                ELSE debit_pence - credit_pence END)
           OVER (PARTITION BY person_id, account ORDER BY seq)::bigint AS running_balance_pence
  FROM ledger_postings
 WHERE account LIKE 'person:%' OR account LIKE 'overpayment_receivable:%'
    OR account LIKE 'contribution_receivable:%';

-- A period's payable award is shared: provider_pence of it paid to providers, amount_pence to
-- the person; contribution_pence is what the person owes on top when the award fell short.
ALTER TABLE scheduled_payments
    ADD COLUMN provider_pence bigint NOT NULL DEFAULT 0 CHECK (provider_pence >= 0),
    ADD COLUMN contribution_pence bigint NOT NULL DEFAULT 0 CHECK (contribution_pence >= 0),
    DROP CONSTRAINT amount_is_entitlement_less_recovery,
    ADD CONSTRAINT amount_is_entitlement_less_recovery_and_providers
        CHECK (amount_pence = entitlement_pence - recovery_pence - provider_pence);

-- One credit transfer per provider and run, for every person whose managed care it delivers.
CREATE TABLE provider_payments (
    instruction_id  uuid PRIMARY KEY,
    run_id          text NOT NULL REFERENCES payment_runs (run_id),
    provider_id     text NOT NULL,
    amount_pence    bigint NOT NULL CHECK (amount_pence > 0),
    status          text NOT NULL CHECK (status IN ('scheduled', 'instructed', 'paid', 'held')),
    attempts        int NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    payee_ref       text,  -- the bank details entry last used (provider@effective date)
    hold_reason     text,
    executed_on     date,
    last_run_id     text,
    last_file_id    text,
    failure         jsonb,
    updated_at      timestamptz NOT NULL DEFAULT now(),
    UNIQUE (run_id, provider_id)
);
CREATE INDEX provider_payments_waiting ON provider_payments (status)
    WHERE status IN ('scheduled', 'held');

-- Its remittance advice: one line per person and period (and the period's share of it).
CREATE TABLE provider_lines (
    instruction_id           uuid NOT NULL REFERENCES scheduled_payments (instruction_id),
    provider_id              text NOT NULL,
    provider_instruction_id  uuid NOT NULL,
    run_id                   text NOT NULL REFERENCES payment_runs (run_id),
    person_id                text NOT NULL,
    period_start             date NOT NULL,
    period_end               date NOT NULL,
    amount_pence             bigint NOT NULL CHECK (amount_pence > 0),
    from_award_pence         bigint NOT NULL CHECK (from_award_pence >= 0),
    contribution_pence       bigint NOT NULL CHECK (contribution_pence >= 0),
    CHECK (amount_pence = from_award_pence + contribution_pence),
    PRIMARY KEY (instruction_id, provider_id)
);
CREATE INDEX provider_lines_payment ON provider_lines (provider_instruction_id);
CREATE INDEX provider_lines_run ON provider_lines (run_id, provider_id);
CREATE INDEX provider_lines_person ON provider_lines (person_id);
INSERT INTO servicekit_insert_only (table_name) VALUES ('provider_lines');

-- What a person owes towards managed care their award did not cover (collected from them).
CREATE TABLE contributions (
    contribution_id    text PRIMARY KEY,
    person_id          text NOT NULL,
    instruction_id     uuid NOT NULL UNIQUE REFERENCES scheduled_payments (instruction_id),
    amount_pence       bigint NOT NULL CHECK (amount_pence > 0),
    outstanding_pence  bigint NOT NULL CHECK (outstanding_pence BETWEEN 0 AND amount_pence),
    reason             text NOT NULL,
    raised_at          timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX contributions_person ON contributions (person_id);

ALTER TABLE payment_runs
    ADD COLUMN provider_payments int NOT NULL DEFAULT 0,
    ADD COLUMN provider_held int NOT NULL DEFAULT 0,
    ADD COLUMN provider_total_pence bigint NOT NULL DEFAULT 0;
