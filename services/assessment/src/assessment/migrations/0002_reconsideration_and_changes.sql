-- Mandatory reconsideration and change of circumstances: decisions get versions that supersede
-- one another, a status, the day they were made (the reconsideration clock starts then) and who
-- made them (a reconsideration is reviewed by someone else).

ALTER TABLE cases DROP CONSTRAINT cases_status_check;
ALTER TABLE cases ADD CONSTRAINT cases_status_check
    CHECK (status IN ('open', 'decided', 'under_reconsideration'));

ALTER TABLE decisions
    ADD COLUMN kind text NOT NULL DEFAULT 'new_claim'
        CHECK (kind IN ('new_claim', 'reconsideration', 'change_of_circumstances')),
    ADD COLUMN decided_on date,
    ADD COLUMN decided_by text NOT NULL DEFAULT '',
    ADD COLUMN status text NOT NULL DEFAULT 'current'
        CHECK (status IN ('current', 'under_reconsideration', 'superseded')),
    ADD COLUMN supersedes text REFERENCES decisions (decision_id);
UPDATE decisions SET decided_on = decided_at::date,
    status = CASE WHEN superseded_by IS NULL THEN 'current' ELSE 'superseded' END;
ALTER TABLE decisions ALTER COLUMN decided_on SET NOT NULL;
ALTER TABLE decisions ADD CONSTRAINT superseded_has_successor
    CHECK (superseded_by IS NULL OR status = 'superseded');
-- At most one decision of a case is in force (not superseded) at any time.
CREATE UNIQUE INDEX one_live_decision_per_case ON decisions (case_id)
    WHERE status <> 'superseded';

CREATE TABLE reconsiderations (
    reconsideration_id  text PRIMARY KEY,
    case_id             text NOT NULL REFERENCES cases (case_id),
    decision_id         text NOT NULL UNIQUE REFERENCES decisions (decision_id),
    person_id           text NOT NULL REFERENCES people (person_id),
    requested_on        date NOT NULL,
    reason              text NOT NULL,
    requested_by        text NOT NULL,
    status              text NOT NULL DEFAULT 'requested' CHECK (status IN ('requested', 'decided')),
    reviewer_id         text,
    outcome             text CHECK (outcome IN ('changed', 'unchanged')),
    new_decision_id     text REFERENCES decisions (decision_id),
    requested_at        timestamptz NOT NULL DEFAULT now(),
    decided_at          timestamptz,
    CHECK ((status = 'decided') = (new_decision_id IS NOT NULL))
);
CREATE INDEX reconsiderations_by_case ON reconsiderations (case_id);
