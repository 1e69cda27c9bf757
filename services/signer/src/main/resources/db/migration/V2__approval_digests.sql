-- Approvals bind the content they approve (issue 9): the digest an unsigned-gate approval named, checked against the
-- loaded version before it is signed. Nullable: approvals made before it was carried name none. IF NOT EXISTS, since a
-- schema made by Hibernate's former update strategy may have the column already.
ALTER TABLE signing ADD COLUMN IF NOT EXISTS approved_digest varchar(96);  -- hex SHA-384
