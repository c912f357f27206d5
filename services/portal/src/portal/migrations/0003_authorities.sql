-- Someone a person (or staff, with a reason) has authorised to act for them: a family member,
-- a friend or an appointee. They sign in as themselves (their own verified email address names
-- them) and act for the person; every service call then names both (the service token's `sub`
-- is the one acting, its `person_id` the person acted for, `authority_id` this row).
CREATE TABLE authorities (
    authority_id     text PRIMARY KEY,
    person_id        text NOT NULL,
    person_name      text,                -- as the assessment service has it, for the banner
    email            text NOT NULL,       -- lower case; the representative's verified email
    name             text NOT NULL,
    relationship     text NOT NULL CHECK (relationship IN ('family', 'friend', 'appointee')),
    granted_by       text NOT NULL,       -- the person's provider subject, or a staff subject
    reason           text,                -- required when staff grant it
    granted_at       timestamptz NOT NULL DEFAULT now(),
    revoked_at       timestamptz,
    revoked_by       text,
    CHECK (granted_by IS NOT NULL)
);
CREATE INDEX authorities_by_email ON authorities (email) WHERE revoked_at IS NULL;
CREATE INDEX authorities_by_person ON authorities (person_id);

-- A session acting for someone: `person_id` is the person acted for, `acting_authority_id`
-- the authority it acts under (NULL: the person themself).
ALTER TABLE sessions ADD COLUMN acting_authority_id text REFERENCES authorities (authority_id);
ALTER TABLE sessions ADD COLUMN own_person_id text;
ALTER TABLE sessions ADD COLUMN email text;
