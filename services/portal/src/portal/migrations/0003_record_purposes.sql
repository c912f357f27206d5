-- Why a member of staff opened a record not assigned to them, asked once per session and case;
-- sent on each of that session's calls about the case (X-Access-Purpose, on the services' audit
-- trails) and kept as a security event (record_opened_with_purpose).
CREATE TABLE record_purposes (
    session_key  bytea NOT NULL REFERENCES sessions (id_hash) ON DELETE CASCADE,
    case_id      text NOT NULL,
    purpose      text NOT NULL CHECK (length(purpose) BETWEEN 1 AND 500),
    given_at     timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (session_key, case_id)
);
