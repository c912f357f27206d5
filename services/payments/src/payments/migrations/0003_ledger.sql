-- Double-entry ledger in integer pence. Append-only; every journal balances.
-- A journal's postings are lines 1..n of one journal_id, inserted by ONE statement (a COPY or
-- INSERT ... SELECT): the statement trigger below checks each whole journal as it arrives, and
-- the unique key stops a journal being posted twice or extended later.
CREATE TABLE ledger_postings (
    seq             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    journal_id      uuid NOT NULL,
    line            smallint NOT NULL CHECK (line >= 1),
    kind            text NOT NULL,
    account         text NOT NULL,
    person_id       text NOT NULL,
    instruction_id  uuid,
    debit_pence     bigint NOT NULL DEFAULT 0 CHECK (debit_pence >= 0),
    credit_pence    bigint NOT NULL DEFAULT 0 CHECK (credit_pence >= 0),
    posted_at       timestamptz NOT NULL DEFAULT now(),
    CHECK ((debit_pence > 0) <> (credit_pence > 0)),
    UNIQUE (journal_id, line)
);
CREATE INDEX ledger_postings_person ON ledger_postings (person_id, seq);
CREATE INDEX ledger_postings_instruction ON ledger_postings (instruction_id)
    WHERE instruction_id IS NOT NULL;

CREATE FUNCTION ledger_require_whole_balanced_journals() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    bad record;
BEGIN
    SELECT journal_id, sum(debit_pence) AS debits, sum(credit_pence) AS credits,
           count(*) AS lines, min(line) AS first_line, max(line) AS last_line
      INTO bad
      FROM new_postings
     GROUP BY journal_id
    HAVING sum(debit_pence) <> sum(credit_pence) OR count(*) < 2
        OR min(line) <> 1 OR max(line) <> count(*)
     LIMIT 1;
    IF FOUND THEN
        RAISE EXCEPTION 'journal % is not a whole balanced journal: debits %p, credits %p, lines % (%..%)',
            bad.journal_id, bad.debits, bad.credits, bad.lines, bad.first_line, bad.last_line
            USING ERRCODE = 'check_violation';
    END IF;
    RETURN NULL;
END $$;

CREATE TRIGGER ledger_journals_balance
    AFTER INSERT ON ledger_postings REFERENCING NEW TABLE AS new_postings
    FOR EACH STATEMENT EXECUTE FUNCTION ledger_require_whole_balanced_journals();

CREATE FUNCTION ledger_is_append_only() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'the ledger is append-only: % on ledger_postings is not allowed', TG_OP
        USING ERRCODE = 'insufficient_privilege',
              HINT = 'post a correcting journal instead';
END $$;

CREATE TRIGGER ledger_no_update_or_delete
    BEFORE UPDATE OR DELETE ON ledger_postings
    FOR EACH STATEMENT EXECUTE FUNCTION ledger_is_append_only();
CREATE TRIGGER ledger_no_truncate
    BEFORE TRUNCATE ON ledger_postings
    FOR EACH STATEMENT EXECUTE FUNCTION ledger_is_append_only();

-- Balance of every account (debit-positive), overall and per person.
CREATE VIEW ledger_account_balances AS
SELECT account, sum(debit_pence)::bigint AS debits_pence,
       sum(credit_pence)::bigint AS credits_pence,
       sum(debit_pence - credit_pence)::bigint AS balance_pence
  FROM ledger_postings GROUP BY account;

-- A person's own accounts with the running balance after each posting (credit-positive for
-- what we owe them, debit-positive for what they owe us).
CREATE VIEW person_ledger AS
SELECT person_id, seq, journal_id, kind, account, instruction_id, debit_pence, credit_pence,
       posted_at,
       sum(CASE WHEN account LIKE 'person:%' THEN credit_pence - debit_pence
                ELSE debit_pence - credit_pence END)
           OVER (PARTITION BY person_id, account ORDER BY seq)::bigint AS running_balance_pence
  FROM ledger_postings
 WHERE account LIKE 'person:%' OR account LIKE 'overpayment_receivable:%';
