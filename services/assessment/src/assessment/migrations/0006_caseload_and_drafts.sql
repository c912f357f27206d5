-- The assessors' workspace: who a case is assigned to (every assignment kept, never changed), a
-- version counting the case's changes (a page sent on an older version is refused), the day the
-- case opened, a reviewer's reasons, a task-list assessment's notes and Universal Credit
-- provenance, and the assessment in progress on a case (saved page by page).
ALTER TABLE cases
    ADD COLUMN version int NOT NULL DEFAULT 1 CHECK (version >= 1),
    ADD COLUMN opened_on date,
    ADD COLUMN assigned_to text;
UPDATE cases SET opened_on = opened_at::date;
ALTER TABLE cases ALTER COLUMN opened_on SET NOT NULL;
ALTER TABLE cases ALTER COLUMN opened_on SET DEFAULT current_date;
CREATE INDEX cases_by_assignee ON cases (assigned_to);
CREATE INDEX people_by_area ON people (area_code);

CREATE TABLE case_assignments (
    case_id      text NOT NULL REFERENCES cases (case_id),
    seq          int NOT NULL CHECK (seq >= 1),
    assigned_to  text,
    assigned_by  text NOT NULL,
    assigned_on  date NOT NULL,
    recorded_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (case_id, seq)
);
INSERT INTO servicekit_insert_only (table_name) VALUES ('case_assignments');

ALTER TABLE reconsiderations ADD COLUMN reasons text NOT NULL DEFAULT '';

ALTER TABLE assessments
    ADD COLUMN section_notes jsonb NOT NULL DEFAULT '{}',
    ADD COLUMN means_source jsonb,
    ADD COLUMN means_changes jsonb NOT NULL DEFAULT '{}';

CREATE TABLE assessment_drafts (
    case_id             text PRIMARY KEY REFERENCES cases (case_id),
    purpose             text NOT NULL
        CHECK (purpose IN ('new_claim', 'change_of_circumstances', 'reconsideration')),
    author              text NOT NULL,
    started_on          date NOT NULL,
    facts               jsonb NOT NULL DEFAULT '{}',
    answered            text[] NOT NULL DEFAULT '{}',
    notes               jsonb NOT NULL DEFAULT '{}',
    uc_figures          jsonb,
    means_changes       jsonb NOT NULL DEFAULT '{}',
    effective_date      date,
    reconsideration_id  text REFERENCES reconsiderations (reconsideration_id),
    updated_at          timestamptz NOT NULL DEFAULT now(),
    CHECK ((purpose = 'reconsideration') = (reconsideration_id IS NOT NULL))
);

-- A reported change stays work until a reassessment takes it into account.
ALTER TABLE reported_changes DROP CONSTRAINT reported_changes_status_check;
ALTER TABLE reported_changes
    ADD CONSTRAINT reported_changes_status_check CHECK (status IN ('reported', 'reassessed')),
    ADD COLUMN new_decision_id text REFERENCES decisions (decision_id),
    ADD CONSTRAINT reported_changes_reassessed
        CHECK ((status = 'reassessed') = (new_decision_id IS NOT NULL));
