-- The key manager's tables, version 1 (schema "keymanager"): exactly what the entities in
-- dev.cascade.keymanager.persistence map to, and what Hibernate's former "update" strategy created from them, so a
-- schema made that way is the same as one made by this script (Flyway adopts such a schema as version 1:
-- quarkus.flyway.baseline-on-migrate).
--
-- Flyway runs this with the search path set to the service's schema (quarkus.flyway.schemas), hence unqualified
-- names. Types follow Hibernate's PostgreSQL mapping: String is varchar(255) unless @Column gives a length, int is
-- integer, long is bigint, byte[] is bytea, UUID is uuid, Instant is timestamptz (timestamp(6) with time zone). At
-- every start Hibernate validates these tables against the entities (schema-management.strategy=validate): never
-- edit this file once released; a change to an entity comes with a new V<n>__*.sql.

-- StoredZoneKey: one DNSSEC key of a zone; retired keys stay, so a replayed ZoneAdded can reactivate them.
CREATE TABLE zone_key (
    id                  uuid          NOT NULL,  -- the key's reference is db:keymanager/<id>
    zone                varchar(255)  NOT NULL,  -- apex, lower case, absolute
    key_tag             integer       NOT NULL,  -- RFC 4034 Appendix B
    algorithm           integer       NOT NULL,
    flags               integer       NOT NULL,
    -- @Enumerated(STRING): Hibernate adds this check for an enum column (SigningRole); PostgreSQL names it
    -- zone_key_role_check. A new role needs a migration that replaces it.
    role                varchar(3)    NOT NULL CHECK (role IN ('KSK', 'ZSK', 'CSK')),
    public_key          varchar(4096) NOT NULL,  -- base64 of the DNSKEY public key field (RFC 4034 §2.2)
    wrapped_private_key bytea         NOT NULL,  -- AES-GCM-wrapped PKCS#8, never the key in clear (house-style §6)
    dnskey_ttl          bigint        NOT NULL,
    created_at          timestamptz   NOT NULL,
    expires_at          timestamptz,             -- null when the policy sets no lifetime
    retired_at          timestamptz,             -- null while the key belongs to the zone's key set
    activated_by        varchar(64)   NOT NULL,  -- eventId of the ZoneAdded that generated or reactivated it
    PRIMARY KEY (id),
    -- Key tags never repeat within a zone.
    CONSTRAINT zone_key_tag_unique UNIQUE (zone, key_tag)
);

-- A zone's key set is read by zone.
CREATE INDEX zone_key_zone ON zone_key (zone);

-- ProcessedEvent: zone registry events already handled; Kafka delivers at least once.
CREATE TABLE processed_event (
    event_id     varchar(64) NOT NULL,
    processed_at timestamptz NOT NULL,
    PRIMARY KEY (event_id)
);
