CREATE TABLE people (
    person_id      text PRIMARY KEY,
    nino           text NOT NULL UNIQUE,
    full_name      text NOT NULL,
    date_of_birth  date NOT NULL,
    area_code      text NOT NULL,
    created_at     timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE cases (
    case_id     text PRIMARY KEY,
    person_id   text NOT NULL REFERENCES people (person_id),
    status      text NOT NULL CHECK (status IN ('open', 'decided')),
    opened_at   timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX cases_by_person ON cases (person_id);

CREATE TABLE assessments (
    assessment_id  text PRIMARY KEY,
    case_id        text NOT NULL REFERENCES cases (case_id),
    kind           text NOT NULL,
    assessor_id    text NOT NULL,
    facts          jsonb NOT NULL,
    evidence_notes text NOT NULL DEFAULT '',
    recorded_at    timestamptz NOT NULL DEFAULT now(),
    submitted_at   timestamptz
);

CREATE TABLE decisions (
    decision_id               text PRIMARY KEY,
    case_id                   text NOT NULL REFERENCES cases (case_id),
    person_id                 text NOT NULL REFERENCES people (person_id),
    version                   int NOT NULL CHECK (version >= 1),
    assessment_id             text NOT NULL REFERENCES assessments (assessment_id),
    rule_set_id               text NOT NULL,
    eligible                  boolean NOT NULL,
    effective_date            date NOT NULL,
    review_date               date NOT NULL,
    reconsideration_deadline  date NOT NULL,
    body                      jsonb NOT NULL,
    decided_at                timestamptz NOT NULL DEFAULT now(),
    superseded_by             text REFERENCES decisions (decision_id),
    UNIQUE (case_id, version)
);
CREATE INDEX decisions_by_person ON decisions (person_id, decided_at DESC);
