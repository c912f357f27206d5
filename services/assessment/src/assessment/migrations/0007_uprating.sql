-- The yearly uprating (service_layer/uprating.py): a decision version of kind 'uprating', and
-- one row per award and rule set it was uprated to, written in the transaction that records
-- the new version, so a second or resumed run skips what is done (the key says "once").
ALTER TABLE decisions DROP CONSTRAINT decisions_kind_check;
ALTER TABLE decisions ADD CONSTRAINT decisions_kind_check
    CHECK (kind IN ('new_claim', 'reconsideration', 'change_of_circumstances', 'uprating'));

CREATE TABLE uprated_awards (
    rule_set_id      text NOT NULL,
    case_id          text NOT NULL REFERENCES cases (case_id),
    decision_id      text NOT NULL REFERENCES decisions (decision_id),
    outcome          text NOT NULL CHECK (outcome IN ('uprated', 'unchanged', 'refused')),
    new_decision_id  text REFERENCES decisions (decision_id),
    reason           text NOT NULL DEFAULT '',
    uprated_at       timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (rule_set_id, case_id),
    CHECK ((outcome = 'refused') = (new_decision_id IS NULL))
);
INSERT INTO servicekit_insert_only (table_name) VALUES ('uprated_awards');
-- The job's search: decisions in force.
CREATE INDEX decisions_in_force ON decisions (case_id) INCLUDE (rule_set_id, effective_date, eligible)
    WHERE status = 'current';
-- A case is read whole with its assessments (adapters/repository.py): by case, not by scanning.
CREATE INDEX assessments_by_case ON assessments (case_id);
