-- What the person says in a mandatory reconsideration request besides the reason, and changes
-- of circumstances they report: work items an assessor picks up (reporting decides nothing).
ALTER TABLE reconsiderations
    ADD COLUMN what_is_wrong text NOT NULL DEFAULT '',
    ADD COLUMN evidence text NOT NULL DEFAULT '';

CREATE TABLE reported_changes (
    change_id     text PRIMARY KEY,
    case_id       text NOT NULL REFERENCES cases (case_id),
    person_id     text NOT NULL REFERENCES people (person_id),
    decision_id   text NOT NULL REFERENCES decisions (decision_id),
    what_changed  text NOT NULL CHECK (length(what_changed) BETWEEN 1 AND 2000),
    changed_on    date NOT NULL,
    reported_on   date NOT NULL,
    reported_by   text NOT NULL,
    status        text NOT NULL DEFAULT 'reported' CHECK (status IN ('reported')),
    reported_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX reported_changes_by_case ON reported_changes (case_id);
CREATE INDEX reported_changes_open ON reported_changes (reported_at) WHERE status = 'reported';
