-- Version 2 (issue 10): the refresh timers of each zone loaded from a primary, so that they survive a restart of the
-- loader and go on at the instance that holds the zone's partition after a rebalance.

-- TransferState: one row per zone whose source is a primary; deleted with the zone or when its source becomes a file.
CREATE TABLE transfer_state (
    zone            varchar(255)  NOT NULL,  -- apex, lower case, absolute
    source          varchar(4096) NOT NULL,  -- <ip>:<port>[^<TSIG key>], as the registry names it
    refresh_seconds bigint,                  -- SOA REFRESH of the last version loaded; null before the first
    retry_seconds   bigint,                  -- SOA RETRY, as above
    expire_seconds  bigint,                  -- SOA EXPIRE, as above
    last_success_at timestamptz,             -- the last successful refresh (transfer, or serial found current)
    next_refresh_at timestamptz   NOT NULL,  -- when the next refresh is due
    refresh_asked   boolean       NOT NULL,  -- a NOTIFY arrived: refresh at once (RFC 1996 §4.7), merged (§4.4)
    last_failure    varchar(4096),           -- cause and reason of the last failure reported, null after a success
    PRIMARY KEY (zone)
);
