-- Version 4: where auto-report checks a roll's propagation (issue 14, item 4), from the zone's policy snapshot.
-- Name servers as the policy gives them, "<IP>[:PORT]", space-separated; empty for the defaults (the key manager's
-- own publication servers; the parent's found by resolution). Rows from before take the reference's defaults. The DS
-- digest the checks expect is V3's ds_algorithm.
ALTER TABLE zone_policy
    ADD COLUMN publication_nameservers varchar(2048) NOT NULL DEFAULT '',
    ADD COLUMN parent_nameservers      varchar(2048) NOT NULL DEFAULT '';
ALTER TABLE zone_policy
    ALTER COLUMN publication_nameservers DROP DEFAULT,
    ALTER COLUMN parent_nameservers DROP DEFAULT;
