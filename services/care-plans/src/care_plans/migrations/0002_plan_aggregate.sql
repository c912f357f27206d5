-- The whole Plan aggregate is stored so it can be loaded back: its review policy (fixed when the
-- plan was drafted) and the review notices already raised, beside its versions. Columns derived
-- from the aggregate on every save let the review job and the provision report find plans
-- without reading every version.
ALTER TABLE plans
    ADD COLUMN review_policy     jsonb,
    ADD COLUMN in_force_version  int,   -- the agreed (or under review) version delivered now
    ADD COLUMN review_due_on     date,  -- next review of the agreed version in force
    ADD COLUMN review_notice_on  date;  -- from when that review counts as due

-- Plans drafted before this migration were drafted under the 2025-26 catalogue's policy.
UPDATE plans SET review_policy = '{"first_review_after_weeks": 8, "interval_months": 12,
    "notice_days": 14, "citation": "Care Act 2014 s.27(1); statutory guidance para 13.32"}'
WHERE review_policy IS NULL;
ALTER TABLE plans ALTER COLUMN review_policy SET NOT NULL;

CREATE INDEX plans_open_by_person ON plans (person_id) WHERE status <> 'ended';
CREATE INDEX plans_review_notice ON plans (review_notice_on) WHERE review_notice_on IS NOT NULL;
CREATE INDEX plans_in_force ON plans (in_force_version) WHERE in_force_version IS NOT NULL;
CREATE INDEX plan_versions_by_decision ON plan_versions (decision_id);

-- One row per review notice raised, so each is raised once however often the job runs.
CREATE TABLE review_notices (
    plan_id    text NOT NULL REFERENCES plans (plan_id),
    kind       text NOT NULL CHECK (kind IN ('due', 'overdue')),
    due_on     date NOT NULL,
    raised_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (plan_id, kind, due_on)
);
