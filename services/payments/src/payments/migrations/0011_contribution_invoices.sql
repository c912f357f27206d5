-- Contributions are billed (docs/payments.md, "Invoicing the contribution"), and money received
-- against the bills is recorded once per bank transaction ("Money received").

-- One bill per contribution: what it still asks for is the contribution's outstanding_pence.
CREATE TABLE contribution_invoices (
    invoice_reference  text PRIMARY KEY CHECK (invoice_reference ~ '^CB[0-9A-Z]{12}[0-9]{2}$'),
    contribution_id    text NOT NULL UNIQUE REFERENCES contributions (contribution_id),
    person_id          text NOT NULL,
    period_start       date NOT NULL,
    period_end         date NOT NULL,
    amount_pence       bigint NOT NULL CHECK (amount_pence > 0),
    issued_on          date NOT NULL,
    due_on             date NOT NULL CHECK (due_on > issued_on),
    created_at         timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX contribution_invoices_person ON contribution_invoices (person_id);

-- Each credit on the collection account's statement, by the bank's transaction id: matched to a
-- bill (allocated to it, any amount over kept as the person's credit), or unmatched, kept for
-- operations to trace.
CREATE TABLE incoming_payments (
    bank_transaction_id  text PRIMARY KEY,
    reference            text NOT NULL,
    amount_pence         bigint NOT NULL CHECK (amount_pence > 0),
    received_on          date NOT NULL,
    status               text NOT NULL CHECK (status IN ('matched', 'unmatched')),
    invoice_reference    text REFERENCES contribution_invoices (invoice_reference),
    person_id            text,
    allocated_pence      bigint NOT NULL DEFAULT 0 CHECK (allocated_pence >= 0),
    credit_pence         bigint NOT NULL DEFAULT 0 CHECK (credit_pence >= 0),
    recorded_by          text NOT NULL,
    recorded_at          timestamptz NOT NULL DEFAULT now(),
    CHECK ((status = 'matched') = (invoice_reference IS NOT NULL)),
    CHECK (status = 'unmatched' OR allocated_pence + credit_pence = amount_pence),
    CHECK (status = 'matched' OR allocated_pence + credit_pence = 0)
);
CREATE INDEX incoming_payments_unmatched ON incoming_payments (received_on)
    WHERE status = 'unmatched';
CREATE INDEX incoming_payments_person ON incoming_payments (person_id)
    WHERE person_id IS NOT NULL;

-- Money no bill matched is in the ledger before anyone is known to have sent it.
ALTER TABLE ledger_postings
    DROP CONSTRAINT a_person_or_a_provider,
    ADD CONSTRAINT a_person_or_a_provider
        CHECK (person_id IS NOT NULL OR provider_id IS NOT NULL OR kind = 'receipt_unmatched');

-- The person's ledger shows their bills and any credit too.
CREATE OR REPLACE VIEW person_ledger AS
SELECT person_id, seq, journal_id, kind, account, instruction_id, debit_pence, credit_pence,
       posted_at,
       sum(CASE WHEN account LIKE 'person:%' OR account LIKE 'contribution_credit:%'
                THEN credit_pence - debit_pence
                ELSE debit_pence - credit_pence END)
           OVER (PARTITION BY person_id, account ORDER BY seq)::bigint AS running_balance_pence
  FROM ledger_postings
 WHERE account LIKE 'person:%' OR account LIKE 'overpayment_receivable:%'
    OR account LIKE 'contribution_receivable:%' OR account LIKE 'contribution_credit:%';
