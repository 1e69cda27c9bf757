-- Version 3: the W3C traceparent of each signed version's fact (issue 11, traces), so that its publication goes on in
-- the version's trace after the signed review; null for a version stored before.
ALTER TABLE signed_version
    ADD COLUMN traceparent varchar(55);  -- 00-<32 hex>-<16 hex>-<2 hex>, W3C Trace Context §3.2
