-- The NINO is encrypted in the application (adapters/sealed.py) and found by its keyed hash
-- (HMAC-SHA256 under ASSESSMENT_LOOKUP_KEY): `nino` holds a token, `nino_hash` is unique.
-- PostgreSQL cannot encrypt or hash with the service's keys: the service seals the plaintext
-- rows and fills their hashes at start-up, after this migration, before it serves or consumes
-- (servicekit.crypto.bring_all_up_to_date). The NOT VALID check refuses new plaintext.
ALTER TABLE people DROP CONSTRAINT people_nino_key;
ALTER TABLE people ADD COLUMN nino_hash text UNIQUE;
ALTER TABLE people ADD CONSTRAINT nino_sealed
    CHECK (starts_with(nino, 'cb1.') AND nino_hash IS NOT NULL) NOT VALID;
