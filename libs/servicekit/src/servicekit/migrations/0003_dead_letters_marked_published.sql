-- The runtime role marks a dead letter published once the broker has its record
-- (servicekit/deadletter.py); 0002_insert_only_tables declared the table with no updatable
-- column, so every dead letter on a least-privilege deployment failed at that step.
UPDATE servicekit_insert_only SET updatable_columns = '{published_at}'
 WHERE table_name = 'dead_letters';
