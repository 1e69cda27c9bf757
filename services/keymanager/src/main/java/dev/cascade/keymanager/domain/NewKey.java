package dev.cascade.keymanager.domain;

import dev.cascade.dnssec.keys.SigningRole;
import dev.cascade.dnssec.keys.SigningKey;
import java.time.Instant;

/**
 * A freshly generated key of a zone, before it is stored.
 *
 * @param expiresAt end of the planned validity, or {@code null} if the policy sets none
 */
public record NewKey(SigningRole role, SigningKey key, Instant createdAt, Instant expiresAt) {}
