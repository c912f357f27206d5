-- Payments fraud cannot redirect (docs/payments.md, "Changing bank details" and "Four eyes").
--
-- Every change of a person's bank details is kept, sealed as the current details are
-- (adapters/sealed.py), with who made it, in what role, why and when. Rows are only added; the
-- sealed columns are updatable only so that a key rotation can re-wrap them.
CREATE TABLE bank_account_changes (
    change_id          text PRIMARY KEY,
    person_id          text NOT NULL,
    changed_at         timestamptz NOT NULL DEFAULT now(),
    changed_on         date NOT NULL,   -- the service's day (cooling-off counts from it)
    changed_by         text NOT NULL,   -- the token's subject
    role               text NOT NULL,   -- person, or the staff role they acted in
    reason             text,            -- required of staff
    payee_name         text NOT NULL
        CONSTRAINT change_payee_name_sealed CHECK (starts_with(payee_name, 'cb1.')),
    sort_code          text NOT NULL
        CONSTRAINT change_sort_code_sealed CHECK (starts_with(sort_code, 'cb1.')),
    account_number     text NOT NULL
        CONSTRAINT change_account_number_sealed CHECK (starts_with(account_number, 'cb1.')),
    cooling_off_until  date             -- the first payment to the new account waits till then
);
CREATE INDEX bank_account_changes_by_person ON bank_account_changes (person_id, changed_at);
INSERT INTO servicekit_insert_only (table_name, updatable_columns)
VALUES ('bank_account_changes', '{payee_name,sort_code,account_number}');

-- The current details: payments to them wait until `cooling_off_until` unless verified.
ALTER TABLE bank_accounts
    ADD COLUMN cooling_off_until date,
    ADD COLUMN verified_at        timestamptz,
    ADD COLUMN verified_by        text,
    ADD COLUMN last_change_id     text REFERENCES bank_account_changes (change_id);

-- Four eyes: a run's bank files go to the bank only once a second payments officer approves.
ALTER TABLE payment_runs
    ADD COLUMN started_by   text,
    ADD COLUMN approved_by  text,
    ADD COLUMN approved_at  timestamptz;
-- Runs finished before approvals existed were sent already: they count as released.
UPDATE payment_runs SET approved_by = 'before-four-eyes', approved_at = completed_at
 WHERE status = 'completed';
