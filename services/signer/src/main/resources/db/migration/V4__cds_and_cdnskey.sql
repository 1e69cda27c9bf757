-- The CDS and CDNSKEY records a zone's latest key set asks for (KeySetChanged's cdsAndCdnskey, issue 14 item 5), in
-- zone-file text, one a line; empty for none, as for the key sets stored before this migration.
ALTER TABLE key_set ADD COLUMN cds_and_cdnskey varchar(8192) NOT NULL DEFAULT '';
