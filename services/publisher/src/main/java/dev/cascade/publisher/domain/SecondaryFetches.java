package dev.cascade.publisher.domain;

import java.net.InetAddress;
import java.time.Clock;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.xbill.DNS.Name;

/**
 * What each secondary of a server has of each zone, as its queries show it: the serial it holds after a transfer, or
 * that its IXFR query names when it is already current (RFC 1995 §2), and its last SOA or transfer query. Only clients
 * the transfer ACL allows are kept, so queries from anyone else cannot grow this without bound.
 */
public final class SecondaryFetches {

  /**
   * One secondary's view of one zone.
   *
   * @param zone the apex
   * @param client the secondary's address
   * @param serial the serial it holds, as far as its queries tell; null before any transfer or IXFR query
   * @param heldSince when that serial was seen
   * @param lastQuery its last query: {@code SOA}, {@code AXFR} or {@code IXFR}
   * @param lastQueryAt when it came
   */
  public record Fetch(String zone, String client, Long serial, Instant heldSince, String lastQuery,
      Instant lastQueryAt) {}

  private record Key(Name zone, InetAddress client) {}

  private final Clock clock;
  private final ConcurrentMap<Key, Fetch> fetches = new ConcurrentHashMap<>();

  public SecondaryFetches(Clock clock) {
    this.clock = clock;
  }

  /** A SOA query: the secondary checked the serial (RFC 1034 §4.3.5), and holds what it held. */
  void queried(Name zone, InetAddress client) {
    Instant now = clock.instant();
    fetches.compute(new Key(zone, client), (key, last) -> new Fetch(zone.toString(), client.getHostAddress(),
        last == null ? null : last.serial(), last == null ? null : last.heldSince(), "SOA", now));
  }

  /** A transfer ({@code AXFR} or {@code IXFR}) that ended with the secondary holding {@code serial}. */
  void holds(Name zone, InetAddress client, long serial, String query) {
    Instant now = clock.instant();
    fetches.put(new Key(zone, client), new Fetch(zone.toString(), client.getHostAddress(), serial, now, query, now));
  }

  /** Forgets what the secondaries had of a zone no longer served. */
  public void forget(Name zone) {
    fetches.keySet().removeIf(key -> key.zone().equals(zone));
  }

  /** Every secondary's view of every zone, by zone and address. */
  public List<Fetch> all() {
    return fetches.values().stream()
        .sorted(Comparator.comparing(Fetch::zone).thenComparing(Fetch::client)).toList();
  }
}
