-- Version 5: keys kept in a PKCS#11 token (issue 14, item 8). A zone's policy may name the token new keys are
-- generated in ([key-manager.generation] hsm-server-id; null for software keys, as before). A key the token keeps
-- has its RFC 7512 URI here and an empty wrapped_private_key: its private key never leaves the token.
ALTER TABLE zone_policy
    ADD COLUMN hsm_server_id varchar(255);
ALTER TABLE zone_key
    ADD COLUMN private_key_uri varchar(1024);
