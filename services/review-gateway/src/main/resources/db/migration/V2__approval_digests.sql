-- Approvals bind the content they approve (issue 9): an outbox row carries the digest of the content the gate
-- approved, for ZoneVersionReviewed.contentDigest. Nullable: rows written before it name none. IF NOT EXISTS, since a
-- schema made by Hibernate's former update strategy may have the column already.
ALTER TABLE review_outbox ADD COLUMN IF NOT EXISTS contentDigest varchar(96);  -- hex SHA-384
