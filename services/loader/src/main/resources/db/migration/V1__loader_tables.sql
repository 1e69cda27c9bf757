-- The loader's tables, version 1 (schema "loader"): exactly what the entities in dev.cascade.loader.persistence map
-- to, and what Hibernate's former "update" strategy created from them, so a schema made that way is the same as one
-- made by this script (Flyway adopts such a schema as version 1: quarkus.flyway.baseline-on-migrate).
--
-- Flyway runs this with the search path set to the service's schema (quarkus.flyway.schemas), hence unqualified
-- names. Types follow Hibernate's PostgreSQL mapping: String is varchar(255) unless @Column gives a length, long is
-- bigint, Instant is timestamptz (timestamp(6) with time zone). At every start Hibernate validates these tables
-- against the entities (schema-management.strategy=validate): never edit this file once released; a change to an
-- entity comes with a new V<n>__*.sql.

-- LoadedZone: the last version the loader published for one zone; deleted when the zone is removed.
CREATE TABLE loaded_zone (
    zone       varchar(255)  NOT NULL,  -- apex, lower case, absolute
    source     varchar(4096) NOT NULL,  -- absolute path of the zone file (ZoneAdded.source)
    digest     varchar(96)   NOT NULL,  -- hex SHA-384 of the records in canonical form (ZoneDigest.sha384)
    version_id varchar(36)   NOT NULL,  -- a UUID in text form
    serial     bigint        NOT NULL,  -- SOA serial, unsigned 32 bits, so beyond int
    loaded_at  timestamptz   NOT NULL,
    PRIMARY KEY (zone)
);

-- ProcessedEvent: zone registry events already handled; Kafka delivers at least once.
CREATE TABLE processed_event (
    event_id     varchar(64) NOT NULL,
    processed_at timestamptz NOT NULL,
    PRIMARY KEY (event_id)
);
