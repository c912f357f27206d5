-- Forms that act once: the token each rendered form carries, claimed by its first submission,
-- and where that submission's confirmation is (a repeat lands there and changes nothing).
CREATE TABLE form_submissions (
    subject     text NOT NULL,
    token       text NOT NULL,
    location    text,
    created_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (subject, token)
);

-- Answers of a question-per-page journey until they are sent (a person's words never sit in
-- the browser or a URL); keyed by the session, so they end with it.
CREATE TABLE form_drafts (
    session_key  bytea NOT NULL,
    journey      text NOT NULL,
    data         jsonb NOT NULL DEFAULT '{}',
    updated_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (session_key, journey)
);
