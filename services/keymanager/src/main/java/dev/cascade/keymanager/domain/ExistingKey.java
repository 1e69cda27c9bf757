package dev.cascade.keymanager.domain;

import dev.cascade.dnssec.keys.SigningRole;
import java.time.Instant;
import java.util.UUID;

/**
 * What the planner needs to know about a key the zone already has.
 *
 * @param expiresAt end of the planned validity, or {@code null} for none
 * @param retired whether the key was retired (its zone was removed)
 * @param activatedBy eventId of the ZoneAdded that generated or last reactivated the key
 */
public record ExistingKey(
    UUID id, int keyTag, int algorithm, SigningRole role, Instant expiresAt, boolean retired, String activatedBy) {}
