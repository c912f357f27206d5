-- Contributions are collected from the person's later payments (docs/payments.md, "Collecting
-- the contribution"): collected_pence is what a payment took towards them, beside its
-- recovery. So a period's award = to providers + to the person + recovery + collected.
ALTER TABLE scheduled_payments
    ADD COLUMN collected_pence bigint NOT NULL DEFAULT 0 CHECK (collected_pence >= 0),
    DROP CONSTRAINT amount_is_entitlement_less_recovery_and_providers,
    ADD CONSTRAINT amount_is_entitlement_less_deductions_and_providers
        CHECK (amount_pence
               = entitlement_pence - recovery_pence - provider_pence - collected_pence);

-- The run looks up the open contributions of every person it pays for the first time.
CREATE INDEX contributions_open ON contributions (person_id) WHERE outstanding_pence > 0;
