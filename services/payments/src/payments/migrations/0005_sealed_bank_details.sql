-- Bank details and the stored bank files are encrypted in the application (adapters/sealed.py):
-- the columns hold text tokens, so the digit checks go (the domain and the API check the
-- values) and the files become text. PostgreSQL cannot encrypt them here: the service seals
-- the plaintext rows at start-up, after this migration, before it serves or consumes
-- (servicekit.crypto.bring_all_up_to_date). The NOT VALID checks refuse any new plaintext
-- from now on (one per column: the start-up step seals a column at a time).
ALTER TABLE bank_accounts DROP CONSTRAINT bank_accounts_sort_code_check;
ALTER TABLE bank_accounts DROP CONSTRAINT bank_accounts_account_number_check;
ALTER TABLE bank_accounts
    ADD CONSTRAINT payee_name_sealed CHECK (starts_with(payee_name, 'cb1.')) NOT VALID,
    ADD CONSTRAINT sort_code_sealed CHECK (starts_with(sort_code, 'cb1.')) NOT VALID,
    ADD CONSTRAINT account_number_sealed CHECK (starts_with(account_number, 'cb1.')) NOT VALID;

ALTER TABLE bank_files ALTER COLUMN content TYPE text USING convert_from(content, 'UTF8');
ALTER TABLE bank_files ADD CONSTRAINT bank_file_sealed CHECK (starts_with(content, 'cb1.'))
    NOT VALID;
