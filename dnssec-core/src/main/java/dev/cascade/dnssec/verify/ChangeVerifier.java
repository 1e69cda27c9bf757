package dev.cascade.dnssec.verify;

import dev.cascade.dnssec.compact.CompactDiff;
import dev.cascade.dnssec.compact.CompactRecords;
import dev.cascade.dnssec.verify.SignatureChecks.RrsetCheck;
import dev.cascade.dnssec.verify.ZoneVerifier.Node;
import dev.cascade.dnssec.verify.ZoneVerifier.Role;
import dev.cascade.dnssec.zone.CanonicalOrder;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.xbill.DNS.DNSKEYRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * The verification gate for a change: decides whether {@code previous ⊕ change} is a correctly signed zone, given
 * that {@code previous} passed the whole-zone gate ({@link ZoneVerifier}), by checking only what the change can
 * affect. Like the whole-zone gate it shares no code with the signer; the per-RRset signature checks and the per-name
 * NSEC checks are the whole-zone gate's own ({@link SignatureChecks}, {@link ZoneVerifier#checkNsecAt}), so the two
 * gates word and judge every problem alike.
 *
 * <p>The new version is never built. Its records at a name are the previous version's there (a binary search in
 * {@link CompactRecords}' owner index), less the removed and plus the added ones; neighbours in canonical order
 * (RFC 4034 §6.1) come from the same lookups. Checked, in the new version:
 *
 * <ul>
 *   <li>the apex has exactly one SOA, and the zone's DNSKEY RRset matches the published key set (always: the
 *       published set may have changed since the previous version passed), and its SOA and DNSKEY RRsets are signed
 *       by the same keys as in the previous version (else the keys' uses changed, which is not decided here);
 *   <li>every name the change touches (owner of a removed or added record): each RRset that is authoritative there
 *       (at a delegation only DS and NSEC; glue and data below a cut unsigned) has valid RRSIGs of every algorithm
 *       in the DNSKEY RRset, by a published key, inside their validity window and expiring after
 *       {@code now + expiryFloor} (RFC 4035 §2.2); no RRSIG covers a type absent at the name; the name has exactly
 *       one NSEC with the right type bitmap, TTL and next name if it is in the chain, none otherwise (RFC 4034 §4,
 *       RFC 4035 §2.3);
 *   <li>the NSEC chain predecessor of every touched name, touched or not, which must now point to the touched name
 *       or past it; the apex's predecessor is the last name of the chain, which wraps around to the apex.
 * </ul>
 *
 * <p>Why that suffices: a name the change does not touch keeps its records, and, since a change that makes or
 * unmakes a zone cut above untouched names is not decided here, its role (authoritative, delegation, occluded); so
 * its RRSIGs cover the same data with the same keys (the DNSKEY RRset and the keys that sign the apex are unchanged,
 * or the change is not decided here) and its NSEC lists the same types with the same TTL (a change of the SOA's TTL
 * or MINIMUM, which changes every NSEC's TTL under RFC 9077 §3, is not decided here). Its NSEC's next name can only
 * be wrong if a name entered or left the chain right after it, which makes it the chain predecessor of a touched
 * name. What remains is time: the previous version met {@code now + expiryFloor} at its own verification, not
 * necessarily at {@code now}. One pass over the previous version's octets (no record decoded; about 40 ms for the
 * 4.6 M records of a 1 M-delegation zone, see {@code ChangeVerifierBenchmarkTest}) reads every RRSIG's inception and
 * expiration (RFC 4034 §3.1.5) and adds the names of those outside the window to the names checked, so an unchanged
 * signature is held to the same window as in the whole-zone gate. Checking only the added signatures would not be
 * sound: a signature made 13 days ago with a 14-day lifetime passed a 1-day floor then and fails it now.
 *
 * <p>Not decided here ({@link ChangeReport.FullVerificationNeeded}): NSEC3 zones (an NSEC3PARAM at the apex before
 * or after; their chain is in hash order and depends on empty non-terminals and opt-out, RFC 5155 §7.1), NSEC3
 * records in an NSEC zone, a change to the DNSKEY RRset, to the keys that sign the apex or to the NSEC3PARAM, a
 * DNAME added or removed (RFC 6672 §2.3 occludes what is below it), an NS RRset appearing at or vanishing from a name
 * that has untouched names below it (their role changes), a change of the NSEC TTL, and a chain walk longer than
 * {@link #MAX_WALK} names.
 */
public final class ChangeVerifier {

  /**
   * Names a walk to an NSEC neighbour may visit before the change is handed to the whole-zone gate. A walk passes
   * only names that left the zone and names without data (a cut's subtree is skipped at once), which a signed NSEC
   * zone has few of, so the bound only guards against pathological input. No official reference.
   */
  static final int MAX_WALK = 10_000;

  /** Raised where the change cannot be decided from itself; becomes {@link ChangeReport.FullVerificationNeeded}. */
  private static final class Undecidable extends RuntimeException {
    Undecidable(String reason) {
      super(reason, null, false, false);
    }
  }

  private final Name origin;
  private final CompactRecords previous;
  private final Instant now;
  private final Instant floor;
  private final SignatureChecks signatures;
  /** The change's removed and added records by owner name, canonical order (dnsjava's Name order is RFC 4034 §6.1). */
  private final NavigableMap<Name, List<Record>> removedAt = new TreeMap<>();
  private final NavigableMap<Name, List<Record>> addedAt = new TreeMap<>();
  /** The new version's records by owner name, as looked up so far; an empty list for a name not in it. */
  private final Map<Name, List<Record>> recordsAt = new HashMap<>();
  /** Names the current walk to an NSEC neighbour has visited. */
  private int walked;

  private ChangeVerifier(Name origin, CompactRecords previous, Instant now, Duration expiryFloor) {
    this.origin = origin;
    this.previous = previous;
    this.now = now;
    this.floor = now.plus(expiryFloor);
    this.signatures = new SignatureChecks(origin, now, floor, VerifiedSignatures.none());
  }

  /**
   * Verifies the version {@code change} makes of {@code previous}.
   *
   * @param origin the apex
   * @param previous the previous signed version; it must have passed {@link ZoneVerifier#verify}
   * @param change the difference to the new signed version, as {@link CompactDiff#between} makes it: its removed
   *     records are in {@code previous}, and {@link CompactDiff#applyTo} of {@code previous} is the new version
   * @param publishedKeySet the DNSKEYs the key manager published for the zone
   * @param now the time to verify at
   * @param expiryFloor how long every RRSIG must stay valid after {@code now}
   * @return passed, failed with the problems, or a request to run the whole-zone gate
   */
  public static ChangeReport verify(Name origin, CompactRecords previous, CompactDiff change,
      List<DNSKEYRecord> publishedKeySet, Instant now, Duration expiryFloor) {
    return verify(origin, previous, change, ExpectedKeys.published(publishedKeySet), now, expiryFloor);
  }

  /**
   * Verifies the version {@code change} makes of {@code previous}, as
   * {@link #verify(Name, CompactRecords, CompactDiff, List, Instant, Duration)} does, against a key set that may give
   * the keys' uses ({@link ExpectedKeys}).
   */
  public static ChangeReport verify(Name origin, CompactRecords previous, CompactDiff change, ExpectedKeys keySet,
      Instant now, Duration expiryFloor) {
    ChangeVerifier v = new ChangeVerifier(origin, previous, now, expiryFloor);
    try {
      return v.run(change, keySet);
    } catch (Undecidable e) {
      return new ChangeReport.FullVerificationNeeded(e.getMessage());
    }
  }

  private ChangeReport run(CompactDiff change, ExpectedKeys keySet) {
    List<String> problems = new ArrayList<>();
    index(change.removed(), removedAt, null);
    index(change.added(), addedAt, problems);
    requireDecidableTypes();

    Node apex = node(origin);
    List<Record> soas = apex.has(Type.SOA) ? apex.rrset(Type.SOA) : List.of();
    if (soas.size() != 1) {
      problems.add("the apex " + origin + " has " + soas.size() + " SOA records, expected exactly 1");
      return new ChangeReport.Failed(problems);
    }
    Node previousApex = ZoneVerifier.node(origin, previousRecordsAt(origin));
    if (apex.has(Type.NSEC3PARAM) || previousApex.has(Type.NSEC3PARAM)) {
      throw new Undecidable("the zone is signed with NSEC3; its chain is verified in full");
    }
    long denialTtl = ZoneVerifier.denialTtl((SOARecord) soas.get(0));
    List<Record> previousSoas = previousApex.rrset(Type.SOA);
    if (previousSoas == null || ZoneVerifier.denialTtl((SOARecord) previousSoas.get(0)) != denialTtl) {
      throw new Undecidable("the SOA's TTL or MINIMUM changes the TTL of every NSEC (RFC 9077 §3)");
    }
    signatures.checkKeys(apex.has(Type.DNSKEY) ? apex.rrset(Type.DNSKEY) : List.of(), keySet, problems);
    for (int type : new int[] {Type.SOA, Type.DNSKEY}) {
      if (!signers(apex, type).equals(signers(previousApex, type))) {
        throw new Undecidable("other keys sign the apex's " + Type.string(type) + " RRset than in the previous version;"
            + " the names the change does not touch may be signed by keys that no longer sign");
      }
    }

    Set<Name> touched = new TreeSet<>(removedAt.keySet());
    touched.addAll(addedAt.keySet());
    for (Name name : touched) {
      requireCutUnchangedAbove(name, touched);
    }
    PreviousScan scan = scanPrevious();
    Set<Name> checked = new TreeSet<>(touched);
    checked.addAll(scan.outsideValidity());
    // As in the whole-zone gate, a zone left without any NSEC is one problem, not one per name.
    boolean hasNsec = apex.has(Type.NSEC)
        || scan.nsecCount() - count(removedAt, Type.NSEC) + count(addedAt, Type.NSEC) > 0;
    if (!hasNsec) {
      problems.add("the zone has neither an NSEC chain nor an NSEC3PARAM record at the apex");
    }
    for (Name name : touched) {
      Name predecessor = chainPredecessor(name);
      if (predecessor != null) {
        checked.add(predecessor);
      }
    }

    // Reported in the whole-zone gate's order: signatures, then RRSIG coverage, then the chain.
    List<RrsetCheck> checks = new ArrayList<>();
    List<String> coverageProblems = new ArrayList<>();
    List<String> nsecProblems = new ArrayList<>();
    for (Name name : checked) {
      Node node = node(name);
      node.role = role(name, node);
      ZoneVerifier.addRrsetChecks(node, checks);
      ZoneVerifier.uncoveredRrsigs(node, coverageProblems);
      if (hasNsec && node.hasData() && node.role != Role.OCCLUDED) {
        ZoneVerifier.checkNsecAt(node, chainSuccessor(name), denialTtl, nsecProblems);
      } else if (hasNsec) {
        ZoneVerifier.checkNoNsecBelowCut(node, nsecProblems);
      }
    }
    // The public-key operations in parallel (common fork-join pool), as in the whole-zone gate: a change that
    // re-signs a slice of the zone at a signature refresh has many.
    Set<Integer> algorithms = signatures.algorithms();
    checks.parallelStream().map(c -> signatures.checkRrset(c, algorithms).problems()).toList()
        .forEach(problems::addAll);
    problems.addAll(coverageProblems);
    problems.addAll(nsecProblems);
    return problems.isEmpty() ? new ChangeReport.Passed(checked.size()) : new ChangeReport.Failed(problems);
  }

  /**
   * The keys, as algorithm and key tag, of the RRSIGs over the RRset {@code type} at {@code node}. The apex's SOA and
   * DNSKEY RRsets are signed in every version by every key that signs the zone and the DNSKEY RRset: while these keys
   * stay the same, the names the change does not touch are signed by the keys that sign now.
   */
  private static Set<Integer> signers(Node node, int type) {
    Set<Integer> keys = new TreeSet<>();
    node.rrsigsOver(type).forEach(sig -> keys.add(sig.getAlgorithm() << 16 | sig.getFootprint()));
    return keys;
  }

  /**
   * Refuses to decide a change of the DNSKEY RRset (every signature's key set), of NSEC3 records or the NSEC3PARAM
   * (the hashed chain), or of a DNAME (which occludes everything below it, RFC 6672 §2.3).
   */
  private void requireDecidableTypes() {
    for (Map<Name, List<Record>> side : List.of(removedAt, addedAt)) {
      for (List<Record> records : side.values()) {
        for (Record r : records) {
          switch (r.getType()) {
            case Type.DNSKEY -> throw new Undecidable("the change alters the DNSKEY RRset");
            case Type.NSEC3PARAM, Type.NSEC3 -> throw new Undecidable("the change holds NSEC3 or NSEC3PARAM records");
            case Type.DNAME -> throw new Undecidable("the change adds or removes a DNAME at " + r.getName());
            default -> { }
          }
        }
      }
    }
  }

  /** Groups the records by owner name; records outside the zone are reported to {@code problems} if given. */
  private void index(CompactRecords records, Map<Name, List<Record>> byName, List<String> problems) {
    for (Record r : records.toRecords()) {
      if (!r.getName().subdomain(origin)) {
        if (problems != null) {
          problems.add(r.getName() + "/" + Type.string(r.getType()) + " is outside the zone " + origin);
        }
        continue;
      }
      byName.computeIfAbsent(r.getName(), n -> new ArrayList<>()).add(r);
    }
  }

  /**
   * Refuses to decide a change that makes {@code name} a delegation or stops it being one (RFC 1034 §4.2.1) while
   * the previous version holds names below it that the change does not touch: their role, and so whether they are
   * signed and in the chain, changes without them being in the change.
   */
  private void requireCutUnchangedAbove(Name name, Set<Name> touched) {
    if (name.equals(origin)) {
      return;
    }
    boolean wasCut = ZoneVerifier.node(name, previousRecordsAt(name)).has(Type.NS);
    if (wasCut == node(name).has(Type.NS)) {
      return;
    }
    int end = previous.ownerAfterSubtree(name);
    for (int i = previous.ownerCeiling(name); i < end; i++) {
      Name below = previous.ownerName(i);
      if (!below.equals(name) && !touched.contains(below)) {
        throw new Undecidable("the change " + (wasCut ? "removes" : "adds") + " the zone cut at " + name
            + ", above " + below + ", which the change does not touch");
      }
    }
  }

  /**
   * What one pass over the previous version finds.
   *
   * @param outsideValidity the owner names of RRSIGs not valid throughout {@code [now, now + expiryFloor]}; a
   *     healthy zone has none
   * @param nsecCount the number of NSEC records
   */
  private record PreviousScan(Set<Name> outsideValidity, long nsecCount) {}

  /**
   * One pass over the previous version's stored octets, decoding no record but those outside the window: each
   * RRSIG's expiration and inception are read from its RDATA (RFC 4034 §3.1: 2 octets type covered, 1 algorithm,
   * 1 labels, 4 original TTL, then 4 expiration and 4 inception, seconds as unsigned 32-bit values, read as dnsjava
   * reads them).
   */
  private PreviousScan scanPrevious() {
    long nowSeconds = now.getEpochSecond();
    long floorSeconds = floor.getEpochSecond();
    Set<Name> names = new TreeSet<>();
    long nsecCount = 0;
    CompactRecords.Cursor cursor = previous.cursor();
    while (cursor.next()) {
      int type = cursor.type();
      if (type == Type.NSEC) {
        nsecCount++;
      }
      if (type != Type.RRSIG) {
        continue;
      }
      byte[] page = cursor.page();
      int rdata = cursor.rrOffset() + 10;
      long expiration = u32(page, rdata + 8);
      long inception = u32(page, rdata + 12);
      if (expiration < floorSeconds || inception > nowSeconds) {
        names.add(cursor.toRecord().getName());
      }
    }
    return new PreviousScan(names, nsecCount);
  }

  private static long count(Map<Name, List<Record>> byName, int type) {
    return byName.values().stream().flatMap(List::stream).filter(r -> r.getType() == type).count();
  }

  private static long u32(byte[] b, int at) {
    return ((b[at] & 0xffL) << 24) | ((b[at + 1] & 0xffL) << 16) | ((b[at + 2] & 0xffL) << 8) | (b[at + 3] & 0xffL);
  }

  /** The previous version's records at {@code name}, under every spelling of it (each is an owner of its own). */
  private List<Record> previousRecordsAt(Name name) {
    List<Record> records = new ArrayList<>();
    for (int i = previous.ownerCeiling(name); i < previous.ownerCount() && previous.ownerName(i).equals(name); i++) {
      records.addAll(previous.recordsOf(i));
    }
    return records;
  }

  /**
   * The new version's records at {@code name}: the previous ones less those removed, plus those added, a record
   * being its octets (as {@link CompactDiff} compares records). In canonical order, the order in which the new
   * version holds them, so that where a name has two records of a type that admits one (an NSEC), both gates report
   * on the same one.
   */
  private List<Record> recordsAt(Name name) {
    return recordsAt.computeIfAbsent(name, n -> {
      Map<ByteBuffer, Record> records = new LinkedHashMap<>();
      previousRecordsAt(n).forEach(r -> records.put(wire(r), r));
      removedAt.getOrDefault(n, List.of()).forEach(r -> records.remove(wire(r)));
      addedAt.getOrDefault(n, List.of()).forEach(r -> records.put(wire(r), r));
      List<Record> sorted = new ArrayList<>(records.values());
      sorted.sort(CanonicalOrder.RECORDS);
      return List.copyOf(sorted);
    });
  }

  private static ByteBuffer wire(Record r) {
    return ByteBuffer.wrap(r.toWire(Section.ANSWER));
  }

  /** The new version's node at {@code name}, its role not set; owned by the name as its first record spells it. */
  private Node node(Name name) {
    List<Record> records = recordsAt(name);
    return ZoneVerifier.node(records.isEmpty() ? name : records.get(0).getName(), records);
  }

  private boolean present(Name name) {
    return !recordsAt(name).isEmpty();
  }

  /** The role of a name holding data, as {@code ZoneVerifier.assignRoles} assigns it; null for a name without. */
  private Role role(Name name, Node node) {
    if (!node.hasData()) {
      return null;
    }
    if (cutAbove(name) != null) {
      return Role.OCCLUDED;
    }
    return name.equals(origin) || !node.has(Type.NS) ? Role.AUTHORITATIVE : Role.DELEGATION;
  }

  /**
   * The outermost proper ancestor of {@code name} in the zone that occludes it: a delegation (NS, not the apex) or a
   * DNAME owner (RFC 6672 §2.3); null if none. One lookup per label.
   */
  private Name cutAbove(Name name) {
    for (int strip = name.labels() - origin.labels(); strip >= 1; strip--) {
      Name above = new Name(name, strip);
      Node node = node(above);
      if (node.hasData() && ((!above.equals(origin) && node.has(Type.NS)) || node.has(Type.DNAME))) {
        return above;
      }
    }
    return null;
  }

  private void step() {
    if (++walked > MAX_WALK) {
      throw new Undecidable("the walk to an NSEC neighbour passed more than " + MAX_WALK + " names");
    }
  }

  /** The greatest name of the new version before {@code name}, or null. */
  private Name lower(Name name) {
    Name at = name;
    while (true) {
      step();
      int i = previous.ownerCeiling(at) - 1;
      Name candidate = later(i >= 0 ? previous.ownerName(i) : null, addedAt.lowerKey(at));
      if (candidate == null || present(candidate)) {
        return candidate;
      }
      at = candidate;
    }
  }

  /** The least name of the new version after {@code name}, or null. */
  private Name higher(Name name) {
    Name at = name;
    while (true) {
      step();
      int i = previous.ownerCeiling(at);
      while (i < previous.ownerCount() && previous.ownerName(i).equals(at)) {
        i++;
      }
      Name candidate = earlier(i < previous.ownerCount() ? previous.ownerName(i) : null, addedAt.higherKey(at));
      if (candidate == null || present(candidate)) {
        return candidate;
      }
      at = candidate;
    }
  }

  /** The least name of the new version after {@code name} and everything below it, or null. */
  private Name afterSubtree(Name name) {
    step();
    int i = previous.ownerAfterSubtree(name);
    Name added = null;
    for (Name n : addedAt.tailMap(name, false).keySet()) {
      if (!n.subdomain(name)) {
        added = n;
        break;
      }
    }
    Name candidate = earlier(i < previous.ownerCount() ? previous.ownerName(i) : null, added);
    return candidate == null || present(candidate) ? candidate : higher(candidate);
  }

  /** The last name of the new version. */
  private Name last() {
    int count = previous.ownerCount();
    Name candidate = later(count > 0 ? previous.ownerName(count - 1) : null,
        addedAt.isEmpty() ? null : addedAt.lastKey());
    return candidate == null || present(candidate) ? candidate : lower(candidate);
  }

  /**
   * The name whose NSEC must point to {@code name} or past it: the greatest name in the chain (holding data, not
   * occluded) before it, wrapping around to the last one for the apex (RFC 4034 §4.1.1). A name below a cut stands for
   * its outermost cut, which is in the chain and precedes its whole subtree.
   */
  private Name chainPredecessor(Name name) {
    walked = 0;
    Name at = name.equals(origin) ? last() : lower(name);
    while (at != null) {
      if (node(at).hasData()) {
        Name cut = cutAbove(at);
        return cut != null ? cut : at;
      }
      at = lower(at);
    }
    return null;
  }

  /**
   * The name the NSEC of {@code name}, a name in the chain, must point to: the next name in the chain, the apex after
   * the last (RFC 4034 §4.1.1), as its first data record spells it.
   */
  private Name chainSuccessor(Name name) {
    walked = 0;
    Name at = higher(name);
    while (at != null) {
      Node node = node(at);
      Name cut = node.hasData() ? cutAbove(at) : null;
      if (node.hasData() && cut == null) {
        return node.dataOwner;
      }
      at = cut != null ? afterSubtree(cut) : higher(at);
    }
    return origin;
  }

  private static Name earlier(Name a, Name b) {
    return a == null ? b : b == null ? a : a.compareTo(b) <= 0 ? a : b;
  }

  private static Name later(Name a, Name b) {
    return a == null ? b : b == null ? a : a.compareTo(b) >= 0 ? a : b;
  }
}
