-- Delivery reconciliation: Notify is asked about messages it accepted whose final status never
-- came back (a lost receipt; letters get none), and those still without one are flagged.
ALTER TABLE messages
    ADD COLUMN checked_at     timestamptz,  -- when Notify was last asked for its status
    ADD COLUMN unconfirmed_at timestamptz;  -- flagged for operations: no final status in time

CREATE INDEX messages_accepted ON messages (accepted_at)
    WHERE status = 'sending' AND accepted_at IS NOT NULL;
CREATE INDEX messages_unconfirmed ON messages (accepted_at)
    WHERE status = 'sending' AND unconfirmed_at IS NOT NULL;
