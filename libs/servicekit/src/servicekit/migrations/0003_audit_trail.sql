-- The audit trail (servicekit.audit): who read or changed whose record, in what role, when (UTC),
-- why, with what outcome, under which correlation id. The runtime role may only read and add
-- rows; each row carries the hash of the row before it, so an edited, removed or reordered row
-- breaks the chain (`python -m servicekit.audit verify`).
CREATE TABLE audit (
    seq             bigserial PRIMARY KEY,
    at              timestamptz NOT NULL,
    actor           text NOT NULL,            -- the token's subject
    actor_kind      text NOT NULL CHECK (actor_kind IN ('person', 'staff', 'service', 'user')),
    role            text NOT NULL,            -- the role the access was allowed (or refused) in
    client_id       text,                     -- the client that called (the portal, a tool)
    person_id       text,                     -- whose record; NULL for work on no one's record
    resource        text NOT NULL,            -- e.g. 'GET /people/{person_id}/decision'
    action          text NOT NULL,            -- read, write, sign_in, sign_out, ...
    outcome         text NOT NULL CHECK (outcome IN ('allowed', 'denied')),
    purpose         text,                     -- why, for staff reads (X-Access-Purpose)
    correlation_id  text,
    trace_id        text,
    prev_hash       bytea NOT NULL,
    hash            bytea NOT NULL UNIQUE
);
CREATE INDEX audit_person ON audit (person_id, at) WHERE person_id IS NOT NULL;
CREATE INDEX audit_actor ON audit (actor, at);
CREATE INDEX audit_at ON audit (at);
INSERT INTO servicekit_insert_only (table_name) VALUES ('audit');
