-- Who we write to and how they asked to hear from us.
CREATE TABLE recipients (
    person_id          text PRIMARY KEY,
    first_name         text,
    email              text,
    phone              text,
    address_lines      text[] NOT NULL DEFAULT '{}',
    postcode           text,
    channels           text[] NOT NULL DEFAULT '{}',
    accessible_format  text NOT NULL DEFAULT 'none',
    updated_at         timestamptz NOT NULL DEFAULT now()
);

-- Exactly one message per (business event, template, channel): the intent is recorded first,
-- under this unique key, before anything is sent.
CREATE TABLE messages (
    notification_id     uuid PRIMARY KEY,
    person_id           text NOT NULL,
    business_event_id   text NOT NULL,
    template_id         text NOT NULL,
    template_version    int NOT NULL,
    channel             text NOT NULL,
    subject             text,
    body                text NOT NULL,
    status              text NOT NULL,
    source_event_time   timestamptz NOT NULL,
    created_at          timestamptz NOT NULL DEFAULT now(),
    UNIQUE (business_event_id, template_id, channel)
);
CREATE INDEX messages_by_person ON messages (person_id, created_at DESC);
