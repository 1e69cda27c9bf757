package dev.cascade.dnssec.roll;

import dev.cascade.dnssec.keys.SigningRole;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * What a validating resolver may hold while a zone's keys roll, and whether it validates. Every change of the key
 * set is a new version of three RRsets: the DNSKEY RRset with its signatures, the parent's DS RRset, and the zone's
 * other RRsets with theirs. A version is served from its change until the next change has propagated to every name
 * server ({@code delay} later), and a resolver that fetched it at the last moment keeps it for that RRset's TTL
 * (RFC 7583 §3: the propagation delay plus the TTL). Any mix of cached versions, one per RRset, may meet in one
 * resolver; each mix must validate (RFC 4035 §5): a DS that names a published key that signs the DNSKEY RRset, and a
 * signature over the data by a published key. A strict validator (the one RFC 6781 §4.1.4's conservative algorithm
 * roll is for) also wants a valid signature of every algorithm in the DNSKEY RRset (RFC 4035 §2.2), over the DNSKEY
 * RRset and over the data.
 */
final class ResolverCaches {

  /** The RRsets a resolver caches separately, with their TTLs. */
  enum RRset { DNSKEY, DS, DATA }

  private record Version(Instant from, KeySetState keys) {}

  private final Duration delay;
  private final Duration dnskeyTtl;
  private final Duration dsTtl;
  private final Duration dataTtl;
  private final List<Version> versions = new ArrayList<>();

  ResolverCaches(Duration delay, Duration dnskeyTtl, Duration dsTtl, Duration dataTtl) {
    this.delay = delay;
    this.dnskeyTtl = dnskeyTtl;
    this.dsTtl = dsTtl;
    this.dataTtl = dataTtl;
  }

  /** The TTL a propagation report gives for what a phase propagates: the longest of its RRsets'. */
  Duration ttlOf(Set<Propagation> propagates) {
    Duration ttl = Duration.ZERO;
    for (Propagation p : propagates) {
      Duration each = switch (p) {
        case DNSKEY -> dnskeyTtl;
        case DS -> dsTtl;
        case RRSIG -> dataTtl;
      };
      ttl = each.compareTo(ttl) > 0 ? each : ttl;
    }
    return ttl;
  }

  Duration delay() {
    return delay;
  }

  /** Records the key set as changed at {@code at}, if it differs from the last version. */
  void changed(Instant at, KeySetState keys) {
    if (versions.isEmpty() || !same(versions.get(versions.size() - 1).keys(), keys)) {
      versions.add(new Version(at, keys));
    }
  }

  int versions() {
    return versions.size();
  }

  /** Every mix of cached versions that fails to validate, at every moment a mix can change; empty if none. */
  List<String> failures() {
    Set<Instant> moments = new TreeSet<>();
    for (int i = 0; i < versions.size(); i++) {
      moments.add(versions.get(i).from());
      for (RRset rrset : RRset.values()) {
        Instant until = cachedUntil(i, rrset);
        if (until != null) {
          moments.add(until.minusMillis(1));
        }
      }
    }
    List<String> failures = new ArrayList<>();
    for (Instant at : moments) {
      for (int ds : cached(RRset.DS, at)) {
        for (int dnskey : cached(RRset.DNSKEY, at)) {
          for (int data : cached(RRset.DATA, at)) {
            String why = validate(versions.get(ds).keys(), versions.get(dnskey).keys(), versions.get(data).keys());
            if (why != null) {
              failures.add("at " + at + ": DS of version " + ds + ", DNSKEY of version " + dnskey + ", data of version "
                  + data + ": " + why);
            }
          }
        }
      }
    }
    return failures;
  }

  /** The versions whose {@code rrset} a resolver may hold at {@code at}. */
  private List<Integer> cached(RRset rrset, Instant at) {
    List<Integer> found = new ArrayList<>();
    for (int i = 0; i < versions.size(); i++) {
      Instant until = cachedUntil(i, rrset);
      if (!at.isBefore(versions.get(i).from()) && (until == null || at.isBefore(until))) {
        found.add(i);
      }
    }
    return found;
  }

  /** Until when version {@code i}'s {@code rrset} may be cached; null for the last version, which stays. */
  private Instant cachedUntil(int i, RRset rrset) {
    if (i == versions.size() - 1) {
      return null;
    }
    Duration ttl = switch (rrset) {
      case DNSKEY -> dnskeyTtl;
      case DS -> dsTtl;
      case DATA -> dataTtl;
    };
    return versions.get(i + 1).from().plus(delay).plus(ttl);
  }

  /** Why the mix does not validate, or null if it does. */
  private static String validate(KeySetState ds, KeySetState dnskey, KeySetState data) {
    if (ds.parentKeys().isEmpty()) {
      // No DS: the delegation is insecure, and whatever the zone serves is taken unvalidated (RFC 4035 §5.2).
      return null;
    }
    Set<String> published = ids(dnskey.dnskeys());
    boolean secureEntry = ds.parentKeys().stream()
        .anyMatch(key -> published.contains(key.id()) && ids(dnskey.keySigners()).contains(key.id()));
    if (!secureEntry) {
      return "no DS names a published key that signs the DNSKEY RRset";
    }
    Set<Integer> algorithms = dnskey.dnskeys().stream().map(KeyState::algorithm).collect(Collectors.toSet());
    for (int algorithm : algorithms) {
      if (dnskey.keySigners().stream().noneMatch(k -> k.algorithm() == algorithm && published.contains(k.id()))) {
        return "the DNSKEY RRset lacks a valid signature of algorithm " + algorithm;
      }
      if (data.zoneSigners().stream().noneMatch(k -> k.algorithm() == algorithm && published.contains(k.id()))) {
        return "the data lacks a valid signature of algorithm " + algorithm;
      }
    }
    return null;
  }

  private static boolean same(KeySetState a, KeySetState b) {
    return a.keys().equals(b.keys());
  }

  private static Set<String> ids(List<KeyState> keys) {
    return keys.stream().map(KeyState::id).collect(Collectors.toSet());
  }

  /** The keys of a zone signed with a KSK and a ZSK, or a CSK, of {@code algorithm}, made at {@code at}. */
  static List<KeyState> signedZone(boolean csk, int algorithm, Instant at) {
    return csk
        ? List.of(KeyState.active("csk-1", SigningRole.CSK, algorithm, 1001, at))
        : List.of(KeyState.active("ksk-1", SigningRole.KSK, algorithm, 1001, at),
            KeyState.active("zsk-1", SigningRole.ZSK, algorithm, 1002, at));
  }
}
