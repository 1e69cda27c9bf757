package dev.cascade.cli.opendnssec;

import dev.cascade.dnssec.roll.RollPosition;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The keys of OpenDNSSEC's enforcer, read from the output of {@code ods-enforcer key list --verbose --all} (state,
 * size, algorithm, locator, repository, key tag) and {@code ods-enforcer key list --debug --all} (the state of each
 * record of the key: DS, DNSKEY, RRSIG over the DNSKEY RRset, RRSIG over the zone, the enforcer's own model after
 * RFC 7583's timelines), joined by the locator (the key's CKA_ID in hex).
 *
 * <p>Each key is classified for the takeover ({@link Use}): OpenDNSSEC's record states say what resolvers can have
 * seen, which is what decides whether Cascade may keep the key signing without breaking the chain of trust.
 */
public final class EnforcerKeys {

  /** OpenDNSSEC's record states (enforcer {@code key list --debug}), NA for a record the role does not have. */
  public enum RecordState { HIDDEN, RUMOURED, OMNIPRESENT, UNRETENTIVE, NA;

    static RecordState of(String word) {
      return valueOf(word.toUpperCase(Locale.ROOT));
    }

    /** Introduced and not being withdrawn: resolvers have it or are getting it. */
    boolean shown() {
      return this == RUMOURED || this == OMNIPRESENT;
    }
  }

  /** What the key is to the zone, read from its record states. */
  public enum Use {
    /** Signs the zone now (and, for a KSK, its DS is at the parent or submitted): taken over as an active key. */
    SIGNING,
    /** Published and not signing yet: the successor of a roll in progress. */
    SUCCESSOR,
    /** Being withdrawn: the predecessor of a roll in progress. */
    RETIRING,
    /** Not in the zone at all (generated ahead, or gone). */
    UNUSED
  }

  /**
   * One key of one zone.
   *
   * @param role KSK, ZSK or CSK
   * @param state the enforcer's summary state: generate, publish, ready, active, retire, …
   */
  public record Key(String zone, String role, String state, int keyTag, String locator, int algorithm, int bits,
      String repository, RecordState ds, RecordState dnskey, RecordState rrsigDnskey, RecordState rrsig) {

    /** Some record of the key is still being introduced (rumoured): the key is coming in. */
    boolean introducing() {
      return ds == RecordState.RUMOURED || dnskey == RecordState.RUMOURED || rrsigDnskey == RecordState.RUMOURED
          || rrsig == RecordState.RUMOURED;
    }

    /** The key's use, from its record states (see the class comment and docs/operations.md). */
    public Use use() {
      if (dnskey == RecordState.UNRETENTIVE || ds == RecordState.UNRETENTIVE || rrsig == RecordState.UNRETENTIVE
          || rrsigDnskey == RecordState.UNRETENTIVE) {
        return Use.RETIRING;
      }
      if (!dnskey.shown()) {
        return Use.UNUSED;
      }
      boolean signsKeys = !"ZSK".equals(role);
      boolean signsZone = !"KSK".equals(role);
      boolean signing = (!signsKeys || rrsigDnskey.shown()) && (!signsZone || rrsig.shown());
      return signing ? Use.SIGNING : Use.SUCCESSOR;
    }

    /** The DS of this key is at the parent, or on its way there (the enforcer saw ds-submit or ds-seen). */
    public boolean dsAtParent() {
      return ds.shown();
    }
  }

  private EnforcerKeys() {}

  /**
   * Joins the two listings.
   *
   * @throws IllegalArgumentException naming the line when the output is not the enforcer's
   */
  public static List<Key> parse(String verbose, String debug) {
    Map<String, String[]> records = new LinkedHashMap<>();
    for (String line : verbose.split("\n")) {
      String[] f = line.trim().split("\\s+");
      if (skip(line, f)) {
        continue;
      }
      // Zone Keytype State <date or text, spaces possible> Size Algorithm CKA_ID Repository KeyTag
      if (f.length < 8) {
        throw new IllegalArgumentException("ods-enforcer key list --verbose: cannot read line '" + line.trim() + "'");
      }
      records.put(f[f.length - 3], f);
    }
    List<Key> keys = new ArrayList<>();
    for (String line : debug.split("\n")) {
      String[] d = line.trim().split("\\s+");
      if (skip(line, d)) {
        continue;
      }
      // Zone Keyrole DS DNSKEY RRSIGDNSKEY RRSIG Pub Act Id
      if (d.length != 9) {
        throw new IllegalArgumentException("ods-enforcer key list --debug: cannot read line '" + line.trim() + "'");
      }
      String locator = d[8].toLowerCase(Locale.ROOT);
      String[] v = records.get(locator);
      if (v == null) {
        throw new IllegalArgumentException("key " + locator + " of " + d[0] + " is in key list --debug, not in "
            + "key list --verbose");
      }
      try {
        keys.add(new Key(d[0], d[1], v[2], Integer.parseInt(v[v.length - 1]), locator,
            Integer.parseInt(v[v.length - 4]), Integer.parseInt(v[v.length - 5]), v[v.length - 2],
            RecordState.of(d[2]), RecordState.of(d[3]), RecordState.of(d[4]), RecordState.of(d[5])));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("ods-enforcer key list: cannot read the key " + locator + ": "
            + e.getMessage(), e);
      }
    }
    return List.copyOf(keys);
  }

  /** Header lines ("Keys:", the column titles) and the client's "sock set to" line. */
  private static boolean skip(String line, String[] f) {
    return line.isBlank() || f[0].endsWith(":") || line.startsWith("sock set to") || line.startsWith("Database set");
  }

  /**
   * The roll a zone's keys of one role are in, in Cascade's words (the key-roll steps of RFC 7583 as the keymanager
   * drives them), or null when there is none: one key signing and no successor or predecessor.
   */
  public static String rollInProgress(List<Key> keysOfRole) {
    Key successor = keysOfRole.stream().filter(k -> k.use() == Use.SUCCESSOR).findFirst().orElse(null);
    Key retiring = keysOfRole.stream().filter(k -> k.use() == Use.RETIRING).findFirst().orElse(null);
    long signing = keysOfRole.stream().filter(k -> k.use() == Use.SIGNING).count();
    if (successor == null && retiring == null && signing <= 1) {
      return null;
    }
    if (successor != null) {
      // The new key is published and does not sign yet: after start-roll, before (or at) propagation1-complete.
      return "start-roll done; new key " + successor.keyTag() + " published (DNSKEY " + lower(successor.dnskey())
          + "), " + (successor.dnskey() == RecordState.OMNIPRESENT ? "propagation1-complete is next"
          : "waiting for propagation1-complete");
    }
    if (retiring != null) {
      // The old key's records are leaving: after cache-expired1, at propagation2-complete or cache-expired2.
      return "old key " + retiring.keyTag() + " retiring (DNSKEY " + lower(retiring.dnskey()) + ", RRSIG "
          + lower(retiring.rrsig()) + ", DS " + lower(retiring.ds()) + "): propagation2-complete / cache-expired2 "
          + "are next";
    }
    return signing + " keys signing at once: a double-signature roll between cache-expired1 and "
        + "propagation2-complete";
  }

  /**
   * Each key's place in the roll of one role in progress, for Cascade to take the roll over at its phase
   * (dnssec-core {@code KeySetState.takeOver}), or an empty map when the role has no roll. A successor is new, a key
   * being withdrawn old; a key that signs is old beside a successor and new beside a key being withdrawn; of two keys
   * that both sign (a double-signature roll), the one whose DS is not at the parent, or whose records are still
   * being introduced, is new. The facts are the enforcer's record states: a record that is rumoured or omnipresent
   * is in the zone, one that is hidden or unretentive is not (RFC 7583 §3.1's states as OpenDNSSEC keeps them).
   *
   * @throws IllegalArgumentException naming the keys when their parts cannot be told apart
   */
  public static Map<Key, RollPosition> positions(List<Key> keysOfRole) {
    if (rollInProgress(keysOfRole) == null) {
      return Map.of();
    }
    List<Key> inZone = keysOfRole.stream().filter(k -> k.use() != Use.UNUSED).toList();
    boolean successor = inZone.stream().anyMatch(k -> k.use() == Use.SUCCESSOR);
    boolean retiring = inZone.stream().anyMatch(k -> k.use() == Use.RETIRING);
    List<Key> signing = inZone.stream().filter(k -> k.use() == Use.SIGNING).toList();
    Map<Key, Boolean> arriving = new LinkedHashMap<>();
    for (Key k : inZone) {
      switch (k.use()) {
        case SUCCESSOR -> arriving.put(k, true);
        case RETIRING -> arriving.put(k, false);
        default -> {
          if (successor != retiring) {
            arriving.put(k, retiring);
          }
        }
      }
    }
    if (successor == retiring) {
      List<Key> introduced = signing.stream()
          .filter(k -> k.introducing() || !"ZSK".equals(k.role()) && !k.dsAtParent()).toList();
      if (successor || signing.size() != 2 || introduced.size() != 1) {
        throw new IllegalArgumentException("cannot tell the new key from the old among " + inZone.stream()
            .map(k -> k.keyTag() + " (" + k.use() + ")").toList());
      }
      signing.forEach(k -> arriving.put(k, k == introduced.get(0)));
    }
    Map<Key, RollPosition> positions = new LinkedHashMap<>();
    arriving.forEach((k, isNew) -> positions.put(k, new RollPosition(isNew ? "new" : "old", k.dnskey().shown(),
        k.rrsigDnskey().shown() || successorKsk(k), k.rrsig().shown(), k.ds().shown())));
    return positions;
  }

  /**
   * A KSK or CSK successor whose DNSKEY is published but does not sign the DNSKEY RRset yet: OpenDNSSEC publishes
   * first, a phase no roll of Cascade has. Cascade takes it over in the first phase of its double-signature roll,
   * where the new key also signs the DNSKEY RRset: a signature by a key that is published already, which validators
   * that lack the key ignore (RFC 4035 §5.3.1) and the others can use, so nothing can break by it.
   */
  private static boolean successorKsk(Key k) {
    return k.use() == Use.SUCCESSOR && !"ZSK".equals(k.role());
  }

  private static String lower(RecordState s) {
    return s.name().toLowerCase(Locale.ROOT);
  }
}
