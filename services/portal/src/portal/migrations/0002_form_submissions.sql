-- Forms that act once: the token each rendered form carries, claimed by its first submission,
-- and where that submission's confirmation is (a repeat lands there and changes nothing).
CREATE TABLE form_submissions (
    subject     text NOT NULL,
    token       text NOT NULL,
    location    text,
    created_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (subject, token)
);
