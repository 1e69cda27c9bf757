package dev.cascade.keymanager.persistence;

import dev.cascade.dnssec.roll.KeySetState;
import dev.cascade.dnssec.roll.KeyState;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A zone's key set between its rows and dnssec-core's roll state machine: a key's id there is its row's id, so the
 * rolls name keys by row.
 */
public final class KeySetRows {

  private KeySetRows() {}

  /**
   * The key set of {@code active} keys (in their order) and {@code rolls}. Keys only published ({@link
   * StoredZoneKey#publicOnly}) are left out: no roll may make them sign or withdraw them.
   */
  public static KeySetState state(List<StoredZoneKey> active, List<StoredKeyRoll> rolls) {
    return new KeySetState(
        active.stream().filter(key -> !key.publicOnly()).map(key -> new KeyState(key.id.toString(), key.role, key.algorithm, key.keyTag,
            key.createdAt, key.published, key.signsKeys, key.signsZone, key.atParent)).toList(),
        rolls.stream().map(StoredKeyRoll::roll).toList());
  }

  /**
   * The rows of {@code next}'s keys, in its order, with their uses as {@code next} has them: from {@code rows} (a
   * zone's active keys, and the keys a step generated) by id; then the keys of {@code rows} only published, which
   * {@link #state} left out, unchanged. A key {@code next} no longer holds has none.
   *
   * @throws IllegalArgumentException if a key of {@code next} has no row
   */
  public static List<StoredZoneKey> rows(KeySetState next, List<StoredZoneKey> rows) {
    Map<String, StoredZoneKey> byId = new HashMap<>();
    rows.forEach(row -> byId.put(row.id.toString(), row));
    Stream<StoredZoneKey> rolled = next.keys().stream().map(key -> {
      StoredZoneKey row = byId.get(key.id());
      if (row == null) {
        throw new IllegalArgumentException("key " + key.id() + " of the key set has no row");
      }
      row.published = key.published();
      row.signsKeys = key.signsKeys();
      row.signsZone = key.signsZone();
      row.atParent = key.atParent();
      return row;
    });
    return Stream.concat(rolled, rows.stream().filter(StoredZoneKey::publicOnly)).toList();
  }

  /** The rows of {@code next}'s rolls in {@code zone}. */
  public static List<StoredKeyRoll> rolls(String zone, KeySetState next) {
    return next.rolls().stream().map(roll -> StoredKeyRoll.of(zone, roll)).toList();
  }
}
