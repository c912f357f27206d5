-- The consumer marks a dead letter once its topic record is acknowledged (servicekit/deadletter.py):
-- the runtime role may update that one column of an otherwise insert-only table. Without it every
-- poison message stalled its partition, the consumer retrying the refused UPDATE until it exited.
UPDATE servicekit_insert_only SET updatable_columns = '{published_at}'
 WHERE table_name = 'dead_letters';
