-- Version 6: keys removed after they left the key set (issue 14, item 2: [key-manager] auto-remove and
-- auto-remove-delay, the reference's defaults true and 7 days). A removed key keeps its row, so that its key tag is
-- never given to another key of the zone, but not its private key: the wrapped copy is emptied, a PKCS#11 object
-- destroyed, and removed_at says when.
ALTER TABLE zone_policy
    ADD COLUMN auto_remove boolean NOT NULL DEFAULT true,
    ADD COLUMN auto_remove_delay_seconds bigint NOT NULL DEFAULT 604800;
ALTER TABLE zone_key
    ADD COLUMN removed_at timestamptz;
