-- Version 5: keys a PKCS#11 token keeps (issue 14, item 8): the RFC 7512 URI of the private key, as the key manager
-- announced it, with an empty wrapped_private_key; null for a wrapped key, as every key stored before.
ALTER TABLE zone_key
    ADD COLUMN private_key_uri varchar(1024);
