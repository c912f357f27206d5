-- Every channel's message is a row of `messages`: the portal inbox copy (delivered on insert) and
-- the email, text message and letter copies (pending, then sent by the background sender).
-- `notification_id` = notification_key(event, template, channel, recipient): the unique intent,
-- and the `reference` given to Notify / the SMTP Message-ID.
ALTER TABLE messages
    ALTER COLUMN body DROP NOT NULL,             -- a message that could not be rendered has none
    ADD COLUMN recipient         text,           -- normalised email, mobile or address (not inbox)
    ADD COLUMN accessible_format text NOT NULL DEFAULT 'none',  -- the variant actually used
    ADD COLUMN personalisation   jsonb,          -- what Notify fills the template with
    ADD COLUMN attempts          int NOT NULL DEFAULT 0,
    ADD COLUMN next_attempt_at   timestamptz,    -- due time while pending or waiting to retry
    ADD COLUMN claimed_until     timestamptz,    -- a sender's lease on an attempt in progress
    ADD COLUMN handed_over_at    timestamptz,    -- SMTP: the message data was being transmitted
    ADD COLUMN accepted_at       timestamptz,    -- the provider (SMTP relay, Notify) took it
    ADD COLUMN provider_ids      jsonb NOT NULL DEFAULT '{}',  -- Notify id -> our attempt number
    ADD COLUMN reason            text,           -- why it failed (no personal details)
    ADD COLUMN correlation_id    text,
    ADD COLUMN traceparent       text,
    ADD COLUMN updated_at        timestamptz NOT NULL DEFAULT now();

CREATE INDEX messages_due ON messages (next_attempt_at)
    WHERE status IN ('pending', 'temporary_failure');
CREATE INDEX messages_in_flight ON messages (claimed_until)
    WHERE status = 'sending' AND accepted_at IS NULL;
CREATE INDEX messages_failed ON messages (updated_at DESC) WHERE status = 'permanent_failure';

-- What we know of each decision, to write the reconsideration notice (which needs the original
-- decision's date and the new decision's award and reasons).
CREATE TABLE decisions (
    decision_id      text PRIMARY KEY,
    person_id        text NOT NULL,
    case_id          text NOT NULL,
    decided_on       date NOT NULL,
    weekly_pence     bigint NOT NULL,
    reasons_summary  text NOT NULL,
    kind             text
);

-- A reconsideration outcome waits here until both it and its new decision have arrived.
CREATE TABLE reconsiderations (
    event_id             text PRIMARY KEY,
    person_id            text NOT NULL,
    case_id              text NOT NULL,
    original_decision_id text NOT NULL,
    new_decision_id      text NOT NULL,
    outcome              text NOT NULL,
    decided_at           timestamptz NOT NULL,
    correlation_id       text,
    traceparent          text,
    notified_at          timestamptz
);
CREATE INDEX reconsiderations_waiting ON reconsiderations (new_decision_id)
    WHERE notified_at IS NULL;

ALTER TABLE recipients ADD COLUMN case_id text;
ALTER TABLE recipients ADD COLUMN preferences_set_at timestamptz;

-- People only the portal inbox can reach, or whose chosen channel could not be used.
CREATE TABLE contact_gaps (
    person_id          text PRIMARY KEY,
    reason             text NOT NULL,
    last_event_id      text NOT NULL,
    messages_affected  int NOT NULL DEFAULT 1,
    first_seen         timestamptz NOT NULL DEFAULT now(),
    last_seen          timestamptz NOT NULL DEFAULT now()
);
