package dev.cascade.publisher.domain;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.xbill.DNS.Name;

/**
 * The zones one DNS server serves, one snapshot per apex. Each change replaces a whole snapshot atomically, so a
 * query sees either the old or the new version, never a mix.
 */
public final class ServedZones {

  private final ConcurrentMap<Name, ZoneSnapshot> zones = new ConcurrentHashMap<>();

  /** Serves {@code snapshot} from now on, replacing the zone's previous version. */
  public void install(ZoneSnapshot snapshot) {
    zones.put(snapshot.origin(), snapshot);
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
