-- Care-plan reviews for the assessors' caseload (care-plans' ReviewDue / ReviewOverdue, cleared
-- by ReviewCompleted, a newer agreed version, or the plan ending): one row per plan.
CREATE TABLE care_plan_reviews (
    plan_id     text PRIMARY KEY,
    person_id   text NOT NULL,
    version     integer NOT NULL,  -- the agreed version in force, as far as the events tell
    due_on      date,              -- its review date while the review is due; NULL when none is
    ended       boolean NOT NULL DEFAULT false
);
CREATE INDEX care_plan_reviews_due ON care_plan_reviews (person_id) WHERE due_on IS NOT NULL;
