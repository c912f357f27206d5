-- The Case aggregate saves a new decision version and the one it supersedes in one go: the
-- superseded version's `superseded_by` names its successor before that row is written, so the
-- reference is checked at commit.
ALTER TABLE decisions ALTER CONSTRAINT decisions_superseded_by_fkey DEFERRABLE INITIALLY DEFERRED;

-- One name per concept: in a decision's award `net_*` is what is paid (as in DecisionMade), and
-- the amount after the contribution before the eligibility test is `after_contribution_*`.
UPDATE decisions SET body = jsonb_set(body, '{award}', (body -> 'award')
    - 'contribution_weekly_pence' - 'net_weekly_pence' - 'net_monthly_pence'
    - 'payable_weekly_pence' - 'payable_monthly_pence'
    || jsonb_build_object(
        'weekly_contribution_pence', body -> 'award' -> 'contribution_weekly_pence',
        'after_contribution_weekly_pence', body -> 'award' -> 'net_weekly_pence',
        'after_contribution_monthly_pence', body -> 'award' -> 'net_monthly_pence',
        'net_weekly_pence', body -> 'award' -> 'payable_weekly_pence',
        'net_monthly_pence', body -> 'award' -> 'payable_monthly_pence'))
WHERE body -> 'award' ? 'payable_weekly_pence';
