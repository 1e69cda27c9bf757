-- Version 3: CDS/CDNSKEY publication and DS submission (issue 14, items 5 and 6).

-- The policy's [key-manager.records] cds, [key-manager] ds-algorithm and ds-submit-hook; zones recorded before
-- get the defaults, the reference's behaviour and no hook.
ALTER TABLE zone_policy
    ADD COLUMN cds_publication varchar(11)   NOT NULL DEFAULT 'during-roll',  -- dnssec-core CdsPublication word
    ADD COLUMN ds_algorithm    varchar(7)    NOT NULL DEFAULT 'SHA-256',      -- dnssec-core DsDigest word
    ADD COLUMN ds_submit_hook  varchar(4096);                                  -- null for none
ALTER TABLE zone_policy
    ALTER COLUMN cds_publication DROP DEFAULT,
    ALTER COLUMN ds_algorithm DROP DEFAULT;

-- StoredDsRequest: the DS RRset last requested of each zone's parent (ParentDsChangeRequested), the base of the
-- next request's records to add and to remove.
CREATE TABLE ds_request (
    zone         varchar(255)  NOT NULL,  -- apex, lower case, absolute
    ds           varchar(8192) NOT NULL,  -- the DS records in zone-file text, one a line; empty for none
    event_id     varchar(64)   NOT NULL,  -- the ParentDsChangeRequested's
    requested_at timestamptz   NOT NULL,
    PRIMARY KEY (zone)
);
