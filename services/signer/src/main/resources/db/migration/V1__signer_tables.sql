-- The signer's tables, version 1 (schema "signer"): exactly what the entities in dev.cascade.signer.persistence map
-- to, and what Hibernate's former "update" strategy created from them, so a schema made that way is the same as one
-- made by this script (Flyway adopts such a schema as version 1: quarkus.flyway.baseline-on-migrate).
--
-- Flyway runs this with the search path set to the service's schema (quarkus.flyway.schemas), hence unqualified
-- names. Types follow Hibernate's PostgreSQL mapping: String is varchar(255) unless @Column gives a length or a
-- column definition, int/Integer is integer, long/Long is bigint, boolean is boolean, byte[] is bytea, Instant is
-- timestamptz (timestamp(6) with time zone). Enum values are plain strings without a check constraint, so a new
-- value needs no migration (StoredZonePolicy). At every start Hibernate validates these tables against the entities
-- (schema-management.strategy=validate): never edit this file once released; a change to an entity comes with a new
-- V<n>__*.sql.
--
-- Where a table has topic .. lineage (or content_topic .. lineage), they are the embedded StoredContentRef: where a
-- version's chunks sit on a content topic. They are nullable, as Hibernate reads an embeddable whose columns are all
-- null as null.

-- StoredZonePolicy: the signing part of each zone's policy, from its latest ZoneAdded; deleted with the zone.
CREATE TABLE zone_policy (
    zone               varchar(255) NOT NULL,  -- apex, lower case, absolute
    serial_policy      varchar(32)  NOT NULL,  -- a SerialPolicy name
    denial             varchar(16)  NOT NULL,  -- NSEC or NSEC3
    nsec3_opt_out      boolean      NOT NULL,
    nsec3_iterations   integer      NOT NULL,
    nsec3_salt         varchar(510) NOT NULL,  -- hex of at most 255 octets (RFC 5155 §3.2)
    inception_offset_s bigint       NOT NULL,
    lifetime_s         bigint       NOT NULL,
    remain_time_s      bigint       NOT NULL,
    -- The default (reference Cascade's refresh interval, 12 h) filled the rows that existed when Hibernate's "update"
    -- added this column to older schemas; kept here so that a new schema and an adopted one are alike.
    refresh_interval_s bigint       NOT NULL DEFAULT 43200,
    event_id           varchar(64)  NOT NULL,  -- the ZoneAdded the snapshot came from
    updated_at         timestamptz  NOT NULL,
    PRIMARY KEY (zone)
);

-- StoredKeySet: the head of each zone's latest key set; its keys are the zone_key rows.
CREATE TABLE key_set (
    zone       varchar(255) NOT NULL,
    event_id   varchar(64)  NOT NULL,  -- the KeySetChanged the set came from
    dnskey_ttl bigint       NOT NULL,  -- seconds
    updated_at timestamptz  NOT NULL,
    PRIMARY KEY (zone)
);

-- StoredZoneKey: one key of a zone's latest key set, at its position in the KeySetChanged event.
CREATE TABLE zone_key (
    zone                varchar(255)  NOT NULL,
    position            integer       NOT NULL,  -- index in the event's key list; the set is read in this order
    key_tag             integer       NOT NULL,  -- RFC 4034 Appendix B
    algorithm           integer       NOT NULL,
    flags               integer       NOT NULL,  -- 257 KSK or CSK, 256 ZSK (RFC 4034 §2.1.1)
    role                varchar(3)    NOT NULL,  -- KSK, ZSK or CSK
    public_key          varchar(4096) NOT NULL,  -- base64 of the DNSKEY public key field (RFC 4034 §2.2)
    wrapped_private_key bytea         NOT NULL,  -- AES-GCM-wrapped PKCS#8, never the key in clear (house-style §6)
    -- The @IdClass (zone, position), in the column order Hibernate gave it (it sorts the id's attributes by name).
    PRIMARY KEY (position, zone)
);

-- StoredManifest: what the loader announced about each unsigned version (ZoneVersionLoaded).
CREATE TABLE unsigned_manifest (
    version_id      varchar(64)  NOT NULL,
    zone            varchar(255) NOT NULL,
    unsigned_serial bigint       NOT NULL,  -- SOA serials are unsigned 32 bits, so beyond int
    topic           varchar(249),           -- Kafka topic names have at most 249 characters
    partition_no    integer,
    first_offset    bigint,
    last_offset     bigint,
    chunk_count     integer,
    digest          varchar(96),            -- hex SHA-384
    record_count    bigint,
    lineage         text,                   -- a difference's whole manifest; null for a whole version
    received_at     timestamptz  NOT NULL,
    PRIMARY KEY (version_id)
);

-- StoredRejection: versions rejected at the unsigned review gate; they no longer hold back a re-signing.
CREATE TABLE unsigned_rejection (
    version_id      varchar(64)  NOT NULL,
    zone            varchar(255) NOT NULL,
    unsigned_serial bigint       NOT NULL,
    event_id        varchar(64)  NOT NULL,  -- the ZoneVersionReviewed
    rejected_at     timestamptz  NOT NULL,
    PRIMARY KEY (version_id)
);

-- StoredSigning: each approved version and where its signing stands (SIGNED and FAILED are final).
CREATE TABLE signing (
    version_id        varchar(64)  NOT NULL,
    zone              varchar(255) NOT NULL,
    unsigned_serial   bigint       NOT NULL,
    approval_event_id varchar(64)  NOT NULL,  -- the ZoneVersionReviewed, cause of what the signer emits
    status            varchar(16)  NOT NULL,  -- a SigningStatus name
    signed_serial     bigint,
    signed_digest     varchar(96),            -- hex SHA-384 of the signed content
    reason            text,                   -- why signing failed: free text, hence unbounded
    approved_at       timestamptz  NOT NULL,
    finished_at       timestamptz,
    PRIMARY KEY (version_id)
);

-- A zone's pending approvals are read by zone and status.
CREATE INDEX signing_by_zone_status ON signing (zone, status);

-- LastSignedSerial: each zone's last signed version; kept after the zone's removal, so that a zone added again never
-- goes back in serial (RFC 1982, RFC 1034 §4.3.5). The columns after version_id are null in rows written before
-- incremental signing.
CREATE TABLE zone_serial (
    zone                 varchar(255) NOT NULL,
    last_signed_serial   bigint       NOT NULL,
    version_id           varchar(64)  NOT NULL,  -- the signed version with this serial
    unsigned_version_id  varchar(64),            -- the unsigned version it was made from
    unsigned_serial      bigint,
    content_topic        varchar(249),           -- StoredContentRef, renamed by @AttributeOverride ...
    content_partition    integer,
    content_first_offset bigint,
    content_last_offset  bigint,
    content_chunk_count  integer,
    content_digest       varchar(96),
    content_record_count bigint,
    lineage              text,                   -- ... except lineage, which has no override
    key_set_event_id     varchar(64),            -- the KeySetChanged whose keys signed the version
    signed_event_id      varchar(64),            -- the ZoneVersionSigned of the version
    refresh_due_at       timestamptz,            -- when the signature refresh re-signs it
    PRIMARY KEY (zone)
);
