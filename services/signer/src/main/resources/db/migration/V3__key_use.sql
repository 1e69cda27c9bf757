-- What each key of a zone's latest key set does in the zone, as the key manager's rolls set it (issue 14, item 3):
-- in the DNSKEY RRset, signing the DNSKEY RRset (and CDS, CDNSKEY), signing every other RRset. All three null for a
-- key announced without a use, and for the keys stored before this migration: such a key does all its role's jobs.
-- The key's DS at the parent (KeySetChanged's atParent) is not kept: the DS RRset is in the parent zone, which the
-- signer does not sign.
ALTER TABLE zone_key ADD COLUMN published  boolean;
ALTER TABLE zone_key ADD COLUMN signs_keys boolean;
ALTER TABLE zone_key ADD COLUMN signs_zone boolean;
ALTER TABLE zone_key ADD CONSTRAINT zone_key_use_whole CHECK (
    (published IS NULL AND signs_keys IS NULL AND signs_zone IS NULL)
    OR (published IS NOT NULL AND signs_keys IS NOT NULL AND signs_zone IS NOT NULL));
