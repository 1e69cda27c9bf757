package dev.cascade.keymanager.persistence;

import dev.cascade.dnssec.roll.KeyRoll;
import dev.cascade.dnssec.roll.RollType;
import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.UniqueConstraint;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

/** A key roll in progress of a zone (dnssec-core {@link KeyRoll}); at most one per zone and variant. */
@Entity
@Table(
    name = "key_roll",
    uniqueConstraints = @UniqueConstraint(name = "key_roll_zone_variant_unique", columnNames = {"zone", "variant"}))
public class StoredKeyRoll extends PanacheEntityBase {

  @Id
  @Column(name = "id", nullable = false)
  public UUID id;

  /** Apex, lower case, absolute. */
  @Column(name = "zone", nullable = false)
  public String zone;

  @Enumerated(EnumType.STRING)
  @Column(name = "variant", nullable = false, length = 9)
  public RollType.Variant variant;

  @Enumerated(EnumType.STRING)
  @Column(name = "roll_type", nullable = false, length = 32)
  public RollType rollType;

  /** Ids of the {@link StoredZoneKey} rows the roll brings in, space-separated. */
  @Column(name = "new_keys", nullable = false, length = 1024)
  public String newKeys;

  /** Ids of the {@link StoredZoneKey} rows the roll takes out, space-separated. */
  @Column(name = "old_keys", nullable = false, length = 1024)
  public String oldKeys;

  @Column(name = "phase", nullable = false)
  public int phase;

  @Enumerated(EnumType.STRING)
  @Column(name = "stage", nullable = false, length = 12)
  public KeyRoll.Stage stage;

  @Column(name = "since", nullable = false)
  public Instant since;

  @Column(name = "ttl_seconds", nullable = false)
  public long ttlSeconds;

  /** The row of {@code roll} of {@code zone}, whose key ids are {@link StoredZoneKey} ids. */
  public static StoredKeyRoll of(String zone, KeyRoll roll) {
    StoredKeyRoll row = new StoredKeyRoll();
    row.id = UUID.randomUUID();
    row.zone = zone;
    row.variant = roll.type().variant();
    row.rollType = roll.type();
    row.newKeys = String.join(" ", roll.newKeys());
    row.oldKeys = String.join(" ", roll.oldKeys());
    row.phase = roll.phase();
    row.stage = roll.stage();
    row.since = roll.since();
    row.ttlSeconds = roll.ttl().toSeconds();
    return row;
  }

  /** The roll this row holds. */
  public KeyRoll roll() {
    return new KeyRoll(rollType, ids(newKeys), ids(oldKeys), phase, stage, since, Duration.ofSeconds(ttlSeconds));
  }

  private static List<String> ids(String joined) {
    return joined.isEmpty() ? List.of() : Arrays.asList(joined.split(" "));
  }
}
