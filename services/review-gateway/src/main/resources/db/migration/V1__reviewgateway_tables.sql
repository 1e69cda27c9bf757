-- The review gateway's tables, version 1 (schema "reviewgateway"): exactly what the entities in
-- dev.cascade.reviewgateway.persistence map to, and what Hibernate's former "update" strategy created from them, so a
-- schema made that way is the same as one made by this script (Flyway adopts such a schema as version 1:
-- quarkus.flyway.baseline-on-migrate).
--
-- Flyway runs this with the search path set to the service's schema (quarkus.flyway.schemas), hence unqualified
-- names. These entities name no columns, so the columns carry the field names; unquoted, PostgreSQL folds them to
-- lower case (eventId is the column eventid), as it did for the names Hibernate used. Types follow Hibernate's
-- PostgreSQL mapping: String is varchar(255) unless @Column gives a length or a column definition, long/Long is
-- bigint, Instant is timestamptz (timestamp(6) with time zone). At every start Hibernate validates these tables
-- against the entities (schema-management.strategy=validate): never edit this file once released; a change to an
-- entity comes with a new V<n>__*.sql.

-- ZoneStatusRecord: each zone's projected state, as the JSON of ZoneState, read and written whole.
CREATE TABLE zone_status (
    zone      varchar(255) NOT NULL,
    state     text         NOT NULL,
    updatedAt timestamptz  NOT NULL,
    PRIMARY KEY (zone)
);

-- ZoneHistoryRecord: history lines, kept after a zone is removed. Its id comes from PanacheEntity's
-- @GeneratedValue: Hibernate's sequence <table>_SEQ (zone_history_seq once folded), which it draws from in blocks of
-- 50 (the default allocationSize), so the sequence must step by 50.
CREATE SEQUENCE zone_history_SEQ START WITH 1 INCREMENT BY 50;

CREATE TABLE zone_history (
    id         bigint       NOT NULL,
    zone       varchar(255) NOT NULL,
    occurredAt timestamptz  NOT NULL,
    serial     bigint,
    event      text         NOT NULL,
    eventId    varchar(64)  NOT NULL,  -- the event this line came from
    PRIMARY KEY (id)
);

-- zone history lists a zone's lines in time order.
CREATE INDEX zone_history_zone ON zone_history (zone, occurredAt);

-- OutboxRecord: gate approvals decided with the projection update that caused them and not yet acknowledged by Kafka
-- (the transactional outbox, house-style §4).
CREATE TABLE review_outbox (
    eventId     varchar(64)  NOT NULL,  -- the eventId of the event the row becomes
    zone        varchar(255) NOT NULL,
    stage       varchar(16)  NOT NULL,  -- UNSIGNED or SIGNED
    versionId   varchar(64)  NOT NULL,
    serial      bigint       NOT NULL,
    causationId varchar(64),
    createdAt   timestamptz  NOT NULL,
    PRIMARY KEY (eventId)
);

-- ProcessedEvent: events already applied to the projection; Kafka delivers at least once.
CREATE TABLE processed_event (
    eventId     varchar(64) NOT NULL,
    processedAt timestamptz NOT NULL,
    PRIMARY KEY (eventId)
);
