-- The runtime role's grants are (re)applied by the kit after every migration run
-- (servicekit.db.grant_runtime): SELECT, INSERT, UPDATE, DELETE on every table, except the
-- tables listed here, which it may only read and add to, and update in `updatable_columns`
-- only. A service declares its own in a migration, e.g. for an audit trail:
--   INSERT INTO servicekit_insert_only (table_name) VALUES ('audit');
CREATE TABLE servicekit_insert_only (
    table_name        text PRIMARY KEY,
    updatable_columns text[] NOT NULL DEFAULT '{}'
);
INSERT INTO servicekit_insert_only (table_name, updatable_columns) VALUES
    ('outbox', '{published_at}'),   -- the relay marks what it published
    ('inbox', '{}'),
    ('dead_letters', '{}');
