-- Outbox retention (servicekit.retention): published rows older than a service's
-- `outbox_retention_hours` are deleted in batches by any replica. The runtime role still may not
-- DELETE from the outbox (0002_insert_only_tables); it may only call this function, which runs
-- as its owner (the migration role) and deletes nothing unpublished, nothing published less
-- than an hour ago, and at most `max_rows` rows a call. servicekit.db.grant_runtime grants
-- EXECUTE on it to the runtime role; nobody else may call it.
CREATE FUNCTION servicekit_prune_outbox(older_than interval, max_rows integer)
    RETURNS integer
    LANGUAGE plpgsql
    SECURITY DEFINER
    SET search_path = public, pg_temp
AS $$
DECLARE
    deleted integer;
BEGIN
    IF older_than IS NULL OR older_than < interval '1 hour' THEN
        RAISE EXCEPTION 'outbox rows are kept at least an hour after publishing, not %', older_than
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    IF max_rows IS NULL OR max_rows < 1 OR max_rows > 100000 THEN
        RAISE EXCEPTION 'a batch is 1 to 100000 rows, not %', max_rows
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    -- Rows another pruner holds are skipped, not waited for: replicas share the work.
    DELETE FROM outbox WHERE position IN (
        SELECT position FROM outbox
         WHERE published_at IS NOT NULL AND published_at < now() - older_than
         ORDER BY published_at
         LIMIT max_rows
         FOR UPDATE SKIP LOCKED);
    GET DIAGNOSTICS deleted = ROW_COUNT;
    RETURN deleted;
END
$$;
REVOKE ALL ON FUNCTION servicekit_prune_outbox(interval, integer) FROM PUBLIC;
