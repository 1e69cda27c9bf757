-- Version 2: key rolls (issue 14). Each key's use in the zone, the rolls in progress, and the part of each zone's
-- policy that drives them. Types follow Hibernate's PostgreSQL mapping, as in V1 (boolean is boolean).

-- What each key does in the zone (RFC 7583 §3.1: published, active, retired), the four facts of dnssec-core's
-- KeyState. Keys from before rolls do all their role's jobs: a KSK is published, signs the DNSKEY RRset and has its
-- DS at the parent; a ZSK is published and signs the zone; a CSK does all four.
ALTER TABLE zone_key
    ADD COLUMN published  boolean NOT NULL DEFAULT true,
    ADD COLUMN signs_keys boolean NOT NULL DEFAULT false,
    ADD COLUMN signs_zone boolean NOT NULL DEFAULT false,
    ADD COLUMN at_parent  boolean NOT NULL DEFAULT false;
UPDATE zone_key SET signs_keys = (role <> 'ZSK'), signs_zone = (role <> 'KSK'), at_parent = (role <> 'ZSK');
ALTER TABLE zone_key
    ALTER COLUMN published DROP DEFAULT,
    ALTER COLUMN signs_keys DROP DEFAULT,
    ALTER COLUMN signs_zone DROP DEFAULT,
    ALTER COLUMN at_parent DROP DEFAULT;

-- StoredKeyRoll: a roll in progress, at most one per zone and variant (dnssec-core KeyRoll).
CREATE TABLE key_roll (
    id          uuid          NOT NULL,
    zone        varchar(255)  NOT NULL,  -- apex, lower case, absolute
    variant     varchar(9)    NOT NULL CHECK (variant IN ('KSK', 'ZSK', 'CSK', 'ALGORITHM')),
    roll_type   varchar(32)   NOT NULL,  -- dnssec-core RollType name
    new_keys    varchar(1024) NOT NULL,  -- ids of the zone_key rows it brings in, space-separated
    old_keys    varchar(1024) NOT NULL,  -- ids of the zone_key rows it takes out, space-separated
    phase       integer       NOT NULL,
    stage       varchar(12)   NOT NULL CHECK (stage IN ('PROPAGATION', 'CACHE_EXPIRY', 'DONE')),
    since       timestamptz   NOT NULL,  -- when the stage began
    ttl_seconds bigint        NOT NULL,  -- for CACHE_EXPIRY, the TTL reported with the propagation
    PRIMARY KEY (id),
    CONSTRAINT key_roll_zone_variant_unique UNIQUE (zone, variant)
);

-- StoredZonePolicy: the key settings of the policy each zone was last added with (the ZoneAdded snapshot), which the
-- roll timer reads; rebuilt from the zone registry topic at start.
CREATE TABLE zone_policy (
    zone                   varchar(255) NOT NULL,
    policy_name            varchar(255) NOT NULL,
    algorithm              varchar(32)  NOT NULL,  -- RFC 8624 mnemonic
    use_csk                boolean      NOT NULL,
    ksk_validity_seconds   bigint       NOT NULL,  -- 0 for forever
    zsk_validity_seconds   bigint       NOT NULL,
    csk_validity_seconds   bigint       NOT NULL,
    dnskey_ttl_seconds     bigint       NOT NULL,
    ksk_roll_type          varchar(32)  NOT NULL,  -- dnssec-core RollType name
    zsk_roll_type          varchar(32)  NOT NULL,
    -- <variant>.auto-start|auto-report|auto-expire|auto-done, as a string of four letters each: s, r, e, d when on,
    -- '-' when off, e.g. 'sred' (all on) or '-red' (auto-start off).
    ksk_automation         varchar(4)   NOT NULL,
    zsk_automation         varchar(4)   NOT NULL,
    csk_automation         varchar(4)   NOT NULL,
    algorithm_automation   varchar(4)   NOT NULL,
    PRIMARY KEY (zone)
);
