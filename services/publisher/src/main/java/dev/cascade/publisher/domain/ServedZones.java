package dev.cascade.publisher.domain;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.xbill.DNS.Name;

/**
 * The zones one DNS server serves, one snapshot per apex. Each change replaces a whole snapshot atomically, so a
 * query sees either the old or the new version, never a mix, and a new version of one zone never pauses answers for
 * another. A zone's versions are installed by one thread at a time (the publisher's consumers serialise per zone).
 */
public final class ServedZones {

  private final ConcurrentMap<Name, ZoneSnapshot> zones = new ConcurrentHashMap<>();
  private final int maxDiffs;
  private final int maxDiffsPercent;

  /**
   * @param maxDiffs differences kept per zone for IXFR ({@link ZoneSnapshot#after})
   * @param maxDiffsPercent most records the kept differences hold together, in % of the zone's records
   */
  public ServedZones(int maxDiffs, int maxDiffsPercent) {
    this.maxDiffs = maxDiffs;
    this.maxDiffsPercent = maxDiffsPercent;
  }

  /**
   * Serves {@code snapshot} from now on, replacing the zone's previous version, and keeps the difference from that
   * version for IXFR. The difference is computed before the swap, while the previous version is still served.
   */
  public void install(ZoneSnapshot snapshot) {
    zones.put(snapshot.origin(), snapshot.after(get(snapshot.origin()), maxDiffs, maxDiffsPercent));
  }

  /** Serves {@code snapshot} only if the zone has no version yet; true if it was installed. */
  public boolean installIfAbsent(ZoneSnapshot snapshot) {
    return zones.putIfAbsent(snapshot.origin(), snapshot) == null;
  }

  /** Stops serving the zone. */
  public void remove(Name origin) {
    zones.remove(origin);
  }

  /** Stops serving the zone if (and only if) it still serves version {@code versionId}; true if it did. */
  public boolean removeVersion(Name origin, String versionId) {
    ZoneSnapshot current = zones.get(origin);
    return current != null && current.versionId().equals(versionId) && zones.remove(origin, current);
  }

  /** The version served for exactly this apex. */
  public Optional<ZoneSnapshot> get(Name origin) {
    return Optional.ofNullable(zones.get(origin));
  }

  /** The served zone closest to {@code name}: the one whose apex is {@code name} or its nearest ancestor. */
  public Optional<ZoneSnapshot> enclosing(Name name) {
    for (Name candidate = name; ; candidate = new Name(candidate, 1)) {
      ZoneSnapshot snapshot = zones.get(candidate);
      if (snapshot != null) {
        return Optional.of(snapshot);
      }
      if (candidate.labels() <= 1) {
        return Optional.empty();
      }
    }
  }

  public List<ZoneSnapshot> all() {
    return List.copyOf(zones.values());
  }
}
