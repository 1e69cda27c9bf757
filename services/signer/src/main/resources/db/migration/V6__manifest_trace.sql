-- Version 6: the W3C traceparent of each loaded version's fact (issue 11, traces), so that its signing goes on in the
-- version's trace after the review; null for a manifest stored before, or rebuilt from the log.
ALTER TABLE unsigned_manifest
    ADD COLUMN traceparent varchar(55);  -- 00-<32 hex>-<16 hex>-<2 hex>, W3C Trace Context §3.2
