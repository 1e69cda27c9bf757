-- The publisher's tables, version 1 (schema "publisher"): exactly what the entities in
-- dev.cascade.publisher.persistence map to, and what Hibernate's former "update" strategy created from them, so a
-- schema made that way is the same as one made by this script (Flyway adopts such a schema as version 1:
-- quarkus.flyway.baseline-on-migrate).
--
-- Flyway runs this with the search path set to the service's schema (quarkus.flyway.schemas), hence unqualified
-- names. Types follow Hibernate's PostgreSQL mapping: String is varchar(255) unless @Column gives a length or a
-- column definition, int/Integer is integer, long/Long is bigint, Instant is timestamptz (timestamp(6) with time
-- zone). At every start Hibernate validates these tables against the entities (schema-management.strategy=validate):
-- never edit this file once released; a change to an entity comes with a new V<n>__*.sql.
--
-- The columns topic .. lineage are the embedded StoredContentRef (where a version's chunks sit on a content topic);
-- they are nullable there, as Hibernate reads an embeddable whose columns are all null as null.

-- PublishedZone: the version each zone has on the publication server; deleted when the zone is removed.
CREATE TABLE published (
    zone            varchar(255) NOT NULL,  -- apex, lower case, absolute
    version_id      varchar(64)  NOT NULL,
    unsigned_serial bigint       NOT NULL,  -- SOA serials are unsigned 32 bits, so beyond int
    signed_serial   bigint       NOT NULL,
    topic           varchar(249),           -- Kafka topic names have at most 249 characters
    partition_no    integer,
    first_offset    bigint,
    last_offset     bigint,
    chunk_count     integer,
    digest          varchar(96),            -- hex SHA-384
    record_count    bigint,
    lineage         text,                   -- a difference's whole manifest; null for a whole version
    published_at    timestamptz  NOT NULL,
    PRIMARY KEY (zone)
);

-- StoredSignedVersion: a signed version heard of from its fact, its approval or both; serials and content stay null
-- until the fact arrives.
CREATE TABLE signed_version (
    version_id        varchar(64)  NOT NULL,
    zone              varchar(255) NOT NULL,
    unsigned_serial   bigint,
    signed_serial     bigint,
    topic             varchar(249),
    partition_no      integer,
    first_offset      bigint,
    last_offset       bigint,
    chunk_count       integer,
    digest            varchar(96),
    record_count      bigint,
    lineage           text,
    approved          boolean      NOT NULL,
    approval_event_id varchar(64),          -- the approving ZoneVersionReviewed
    received_at       timestamptz  NOT NULL,
    PRIMARY KEY (version_id)
);

-- A zone's signed versions are looked up by zone.
CREATE INDEX signed_version_by_zone ON signed_version (zone);
