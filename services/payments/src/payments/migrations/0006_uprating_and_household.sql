-- How a decision version reaches an assessment period: in force on its last day (a change of
-- entitlement, D&A Regs Sch 1 para 20) or, for an uprating, on its first day (new rates apply to
-- periods beginning on or after the uprating date).
ALTER TABLE award_versions
    ADD COLUMN applies_by text NOT NULL DEFAULT 'period_end'
        CHECK (applies_by IN ('period_end', 'period_start'));

-- The household facts UC's work allowance depends on (UC Regs 2013 reg 22), as the benefits
-- system sent them for the period; NULL when it did not say.
ALTER TABLE uc_periods
    ADD COLUMN housing_costs_element boolean,
    ADD COLUMN limited_capability_for_work boolean,
    ADD COLUMN responsible_for_child boolean;
