-- The policies the last 'cascade policy reload' knew (issue 13 item 3), by the SHA-256 of their settings, so that the
-- next reload can say which were added, removed or updated.
CREATE TABLE known_policy (
    name   varchar(255) PRIMARY KEY,
    digest varchar(64)  NOT NULL
);
