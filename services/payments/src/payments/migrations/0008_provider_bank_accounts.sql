-- Providers' bank details, sealed as people's are (adapters/sealed.py): recorded from the
-- provider payees file at each payment run (adapters/provider_payee_store.py), one row per
-- provider and date in force, never edited (a change of details is a new entry). The table is
-- new, so the checks hold for every row from the start.
CREATE TABLE provider_bank_accounts (
    payee_ref       text PRIMARY KEY,  -- provider_id@effective_from
    provider_id     text NOT NULL,
    effective_from  date NOT NULL,
    name            text NOT NULL,     -- the catalogue's name, as people's statements show it
    account_name    text NOT NULL
        CONSTRAINT provider_account_name_sealed CHECK (starts_with(account_name, 'cb1.')),
    sort_code       text NOT NULL
        CONSTRAINT provider_sort_code_sealed CHECK (starts_with(sort_code, 'cb1.')),
    account_number  text NOT NULL
        CONSTRAINT provider_account_number_sealed CHECK (starts_with(account_number, 'cb1.')),
    recorded_at     timestamptz NOT NULL DEFAULT now(),
    UNIQUE (provider_id, effective_from)
);
