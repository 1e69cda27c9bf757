-- Approvals bind the content they approve (issue 9): the digest a signed-gate approval named, checked against the
-- signed version before it is published. Nullable: approvals made before it was carried name none. IF NOT EXISTS,
-- since a schema made by Hibernate's former update strategy may have the column already.
ALTER TABLE signed_version ADD COLUMN IF NOT EXISTS approved_digest varchar(96);  -- hex SHA-384
