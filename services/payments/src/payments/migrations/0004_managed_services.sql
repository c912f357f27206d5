-- A person's current managed-services arrangement, from care-plans' ManagedServicesChanged:
-- the part of the weekly budget the scheme pays providers directly (managed) and the part that
-- stays with the person (direct payment). One row per person; a row only ever moves to a newer
-- version of the same plan (or to another plan). All zeros with no providers: the plan ended.
CREATE TABLE managed_services (
    person_id                     text PRIMARY KEY,
    plan_id                       text NOT NULL,
    plan_version                  int NOT NULL CHECK (plan_version >= 1),
    weekly_budget_pence           bigint NOT NULL CHECK (weekly_budget_pence >= 0),
    managed_weekly_pence          bigint NOT NULL CHECK (managed_weekly_pence >= 0),
    direct_payment_weekly_pence   bigint NOT NULL CHECK (direct_payment_weekly_pence >= 0),
    top_up_weekly_pence           bigint NOT NULL DEFAULT 0 CHECK (top_up_weekly_pence >= 0),
    providers                     jsonb NOT NULL,
    event_id                      text NOT NULL,
    updated_at                    timestamptz NOT NULL DEFAULT now(),
    CHECK (managed_weekly_pence + direct_payment_weekly_pence = weekly_budget_pence)
);
