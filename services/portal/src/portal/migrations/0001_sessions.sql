-- Who is signed in (server-side sessions), which identity is linked to which person, pending
-- sign-ins, and security events (the audit trail does not exist yet; these are its first rows).

CREATE TABLE identity_links (
    issuer     text NOT NULL,
    subject    text NOT NULL,          -- the provider's `sub`
    person_id  text NOT NULL,
    linked_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (issuer, subject)
);

CREATE TABLE sessions (
    id_hash       bytea PRIMARY KEY,   -- SHA-256 of the cookie value; the value is never stored
    kind          text NOT NULL CHECK (kind IN ('citizen', 'staff')),
    issuer        text NOT NULL,
    subject       text NOT NULL,
    roles         text[] NOT NULL DEFAULT '{}',
    person_id     text,
    csrf_token    text NOT NULL,
    access_token  text NOT NULL,       -- the provider's token, exchanged for service tokens
    id_token      text NOT NULL,       -- the hint for the provider's end-session endpoint
    created_at    timestamptz NOT NULL DEFAULT now(),
    last_seen_at  timestamptz NOT NULL DEFAULT now(),
    revoked_at    timestamptz,
    CHECK (kind = 'staff' OR person_id IS NOT NULL)
);
CREATE INDEX sessions_subject ON sessions (subject);

CREATE TABLE sign_in_requests (
    id_hash        bytea PRIMARY KEY,
    kind           text NOT NULL CHECK (kind IN ('citizen', 'staff')),
    state          text NOT NULL,
    nonce          text NOT NULL,
    code_verifier  text NOT NULL,
    client_key     text NOT NULL,
    created_at     timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX sign_in_requests_client ON sign_in_requests (client_key, created_at);

CREATE TABLE security_events (
    id            bigserial PRIMARY KEY,
    at            timestamptz NOT NULL DEFAULT now(),
    kind          text NOT NULL,       -- e.g. identity_match_failed, identity_match_blocked
    identity_key  text,                -- keyed hash of the NINO (never the NINO itself)
    client_key    text,                -- the client's address
    subject       text,
    detail        jsonb NOT NULL DEFAULT '{}'
);
CREATE INDEX security_events_identity ON security_events (kind, identity_key, at);
CREATE INDEX security_events_client ON security_events (kind, client_key, at);
