package dev.cascade.dnssec.verify;

import dev.cascade.dnssec.compact.CompactRecords;
import dev.cascade.dnssec.progress.Progress;
import dev.cascade.dnssec.verify.SignatureChecks.Checked;
import dev.cascade.dnssec.verify.SignatureChecks.RrsetCheck;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.RandomAccess;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;
import org.xbill.DNS.DNSKEYRecord;
import org.xbill.DNS.NSEC3PARAMRecord;
import org.xbill.DNS.NSEC3Record;
import org.xbill.DNS.NSECRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.RRSIGRecord;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Type;
import org.xbill.DNS.utils.base32;

/**
 * The signer's verification gate. Written without any of the signer's code: its own zone-cut
 * detection, its own RFC 5155 §5 hash, its own RFC 4034 §3.1.8.1 signed data and canonical form, so that a
 * signer bug is caught rather than repeated. Only the choice of the fastest JCA provider is shared with the
 * signer.
 *
 * <p>Checks: the DNSKEY RRset equals the published keys of the key set; every authoritative RRset (RFC 4035 §2.2)
 * has a valid RRSIG from a published key, for every algorithm in the DNSKEY RRset (RFC 4035 §2.2), and, where the
 * key set gives the keys' uses (during a roll, {@link ExpectedKeys}), one by every key that signs its kind of RRset
 * and none by a key that does not; every RRSIG is by a published key or by a key of the key set that signs without
 * being published (RFC 6840 §5.11), verifies, and does not expire before {@code now + expiryFloor};
 * the NSEC chain (RFC 4034 §4, RFC 4035 §2.3) or NSEC3 chain (RFC 5155 §7.1) is complete, ordered,
 * closed and has correct type bitmaps and RFC 9077 TTLs.
 *
 * <p>Built for large zones (it runs on every signed version of a 1M-delegation TLD): a signed zone arrives in
 * canonical order (RFC 4034 §6.1), so one pass groups consecutive records into names, checking the order with
 * dnsjava's {@link Name#compareTo} (not the signer's comparator, so a signer sorting bug is caught), and only input
 * out of order is sorted. The names are then checked a slice at a time ({@link #SLICE_NAMES}), in canonical order:
 * zone cuts, empty non-terminals and the NSEC/NSEC3 chains come from walks over the sorted names, which keep every
 * subtree contiguous, continued from one slice to the next; NSEC3 hashes are compared as bytes once every slice is
 * checked. A zone held as {@link CompactRecords} is decoded a slice at a time, so a whole signed zone is never a
 * list of dnsjava records. Problems are reported in canonical order of names, then of types.
 */
public final class ZoneVerifier {
  private static final Set<Integer> NOT_DATA = Set.of(Type.RRSIG, Type.NSEC3);

  /** How a name holding data takes part in the zone. */
  enum Role {
    /** Authoritative data, the apex included: every RRset signed. */
    AUTHORITATIVE,
    /** A delegation point: only DS and NSEC are authoritative. */
    DELEGATION,
    /** Below a delegation or a DNAME: nothing authoritative. */
    OCCLUDED
  }

  /** The records of one type at a name: an RRset, or the RRSIGs covering one type. */
  record TypeGroup<T extends Record>(int type, List<T> records) {}

  /** Everything at one owner name. */
  static final class Node {
    /** The owner as the first record at it spells it (messages keep that case). */
    final Name owner;
    /** The owner as the first data record spells it; null when the name holds no data (only RRSIG and NSEC3). */
    Name dataOwner;
    /** The owner as the first RRSIG at it spells it. */
    Name rrsigOwner;
    /** RRsets other than RRSIG and NSEC3, ascending type. */
    final List<TypeGroup<Record>> rrsets = new ArrayList<>(2);
    /** RRSIGs by covered type, ascending. */
    final List<TypeGroup<RRSIGRecord>> rrsigs = new ArrayList<>(2);
    /** The NSEC3 owned by this name, the last one where there are several (each extra one is a problem). */
    NSEC3Record nsec3;
    /** Set for names holding data. */
    Role role;

    Node(Name owner) {
      this.owner = owner;
    }

    boolean hasData() {
      return dataOwner != null;
    }

    /** The RRset of this type, or null. */
    List<Record> rrset(int type) {
      for (TypeGroup<Record> g : rrsets) {
        if (g.type() == type) {
          return g.records();
        }
      }
      return null;
    }

    boolean has(int type) {
      return rrset(type) != null;
    }

    List<RRSIGRecord> rrsigsOver(int type) {
      for (TypeGroup<RRSIGRecord> g : rrsigs) {
        if (g.type() == type) {
          return g.records();
        }
      }
      return List.of();
    }
  }

  /**
   * Owner names decoded and checked at a time: a slice of a signed TLD (about 5 records and 2 signatures a name)
   * gives the checking threads some 16,000 signatures to share, and its dnsjava objects take some tens of MiB whatever
   * the zone's size; no official reference.
   */
  static final int SLICE_NAMES = 8192;

  private final Name origin;
  private final int sliceNames;
  private final ExpectedKeys expected;
  private final SignatureChecks signatures;
  /** Told as RRsets are checked: the records in them, of all records whose signatures are checked. */
  private final Progress progress;
  private final AtomicLong checked = new AtomicLong();
  private long total;

  // The problems by kind. The report lists the kinds in this order, each kind in canonical order of names (the
  // input's own problems in input order), so it does not depend on where the slices end.
  /** Records outside the zone and extra NSEC3s, in input order. */
  private final List<String> inputProblems = new ArrayList<>();
  /** The apex's SOA and DNSKEY RRset. */
  private final List<String> apexProblems = new ArrayList<>();
  private final List<String> rrsetProblems = new ArrayList<>();
  private final List<String> nsec3RrsetProblems = new ArrayList<>();
  private final List<String> coverageProblems = new ArrayList<>();
  private final List<String> nsecProblems = new ArrayList<>();
  private final List<String> belowCutProblems = new ArrayList<>();
  /** The NSEC3PARAM's and the NSEC3 records' own problems, then (at the end) the chain's. */
  private final List<String> nsec3Problems = new ArrayList<>();

  /** Signatures this run found valid, as (high, low) pairs: the next run's known signatures. */
  private long[] verified = new long[0];
  private int verifiedCount;

  // What one slice hands to the next.
  /** The last name inside the zone the input held so far. */
  private Name lastInZone;
  /** Whether the names inside the zone came in canonical order so far. */
  private boolean ordered = true;
  /** Whether the first name inside the zone, the apex, has been checked. */
  private boolean apexChecked;
  /** The apex has no single SOA: nothing but the input's own problems is reported. */
  private boolean stopped;
  private Set<Integer> algorithms;
  private long denialTtl;
  /** The apex's NSEC3PARAM RRset, empty in a zone without. */
  private List<Record> nsec3Params = List.of();
  /** Set when the NSEC3 chain is checked: the apex has an NSEC3PARAM with hash algorithm SHA-1. */
  private NSEC3PARAMRecord nsec3Param;
  private boolean hasNsec;
  /** The innermost zone cut or DNAME above the current name; null when there is none. */
  private Name cut;
  /** The last name of the NSEC chain so far: its NSEC must point to the next one. */
  private Node previousInChain;
  /** The names that need an NSEC3 so far, canonical order. */
  private final List<Required> required = new ArrayList<>();
  /** The data names and empty non-terminals above the current name, innermost first. */
  private final Deque<Required> path = new ArrayDeque<>();
  /** The NSEC3 records met so far, owner hash decoded. */
  private final List<HashedNsec3> hashed = new ArrayList<>();
  /** One array per distinct expected NSEC3 bitmap: a TLD's million delegations share a few. */
  private final Map<String, int[]> bitmaps = new HashMap<>();

  private ZoneVerifier(Name origin, ExpectedKeys expected, Instant now, Duration expiryFloor,
      VerifiedSignatures known, Progress progress, int sliceNames) {
    this.origin = origin;
    this.expected = expected;
    this.signatures = new SignatureChecks(origin, now, now.plus(expiryFloor), known);
    this.progress = progress;
    this.sliceNames = sliceNames;
  }

  /**
   * Verifies a signed zone.
   *
   * @param origin the apex
   * @param signed every record of the signed zone, best in canonical order (other orders are sorted first)
   * @param publishedKeySet the DNSKEYs the key manager published for the zone
   * @param now the time to verify at
   * @param expiryFloor how long every RRSIG must stay valid after {@code now}
   */
  public static VerificationReport verify(Name origin, List<Record> signed, List<DNSKEYRecord> publishedKeySet,
      Instant now, Duration expiryFloor) {
    return verify(origin, signed, publishedKeySet, now, expiryFloor, VerifiedSignatures.none());
  }

  /**
   * Verifies a signed zone as {@link #verify(Name, List, List, Instant, Duration)} does, without repeating the
   * public-key operation of a signature that {@code known}, the report of an earlier run for the zone, found valid
   * octet for octet. Every other check runs in full. The report's {@link VerificationReport#verified()} is the set to
   * hand to the next run.
   */
  public static VerificationReport verify(Name origin, List<Record> signed, List<DNSKEYRecord> publishedKeySet,
      Instant now, Duration expiryFloor, VerifiedSignatures known) {
    return verify(origin, signed, ExpectedKeys.published(publishedKeySet), now, expiryFloor, known, Progress.NONE);
  }

  /**
   * Verifies a signed zone as {@link #verify(Name, List, List, Instant, Duration, VerifiedSignatures)} does, against
   * a key set that may give the keys' uses, and tells {@code progress} how far the signature checks, the bulk of the
   * work, have got: the records of the RRsets checked so far, of all RRsets that are checked (the RRSIGs themselves
   * are not counted). It is called on the checking threads, once per RRset.
   */
  public static VerificationReport verify(Name origin, List<Record> signed, ExpectedKeys keySet,
      Instant now, Duration expiryFloor, VerifiedSignatures known, Progress progress) {
    return verify(origin, signed, keySet, now, expiryFloor, known, progress, SLICE_NAMES);
  }

  /** As the public method, checking {@code sliceNames} names at a time. */
  static VerificationReport verify(Name origin, List<Record> signed, ExpectedKeys keySet,
      Instant now, Duration expiryFloor, VerifiedSignatures known, Progress progress, int sliceNames) {
    ZoneVerifier v = new ZoneVerifier(origin, keySet, now, expiryFloor, known, progress, sliceNames);
    List<Run> runs = v.runs(signed instanceof RandomAccess ? signed : new ArrayList<>(signed));
    if (!v.ordered) {
      runs = sortedRuns(runs);
    }
    v.total = runs.stream().mapToLong(ZoneVerifier::checkedRecords).sum();
    for (int from = 0; from < runs.size(); from += sliceNames) {
      v.check(runs.subList(from, Math.min(runs.size(), from + sliceNames)));
    }
    return v.report();
  }

  /**
   * Verifies a signed zone held as {@link CompactRecords}, with the same checks and the same report as
   * {@link #verify(Name, List, ExpectedKeys, Instant, Duration, VerifiedSignatures, Progress)}, a slice of owner
   * names at a time: only one slice's records are dnsjava objects at once, and what the checks need of the names
   * before (the innermost zone cut, the NSEC chain's last name, the NSEC3 hashes) is carried over. The order of the
   * compact form is checked again with dnsjava's {@link Name#compareTo}; should the two disagree, the records are
   * checked as a list, sorted.
   */
  public static VerificationReport verify(Name origin, CompactRecords signed, ExpectedKeys keySet,
      Instant now, Duration expiryFloor, VerifiedSignatures known, Progress progress) {
    return verify(origin, signed, keySet, now, expiryFloor, known, progress, SLICE_NAMES);
  }

  /** As the public method, checking about {@code sliceNames} names at a time. */
  static VerificationReport verify(Name origin, CompactRecords signed, ExpectedKeys keySet,
      Instant now, Duration expiryFloor, VerifiedSignatures known, Progress progress, int sliceNames) {
    ZoneVerifier v = new ZoneVerifier(origin, keySet, now, expiryFloor, known, progress, sliceNames);
    v.total = checkedRecords(signed);
    for (int from = 0; from < signed.ownerCount(); ) {
      int to = sliceEnd(signed, from, sliceNames);
      List<Record> records =
          IntStream.range(from, to).parallel().mapToObj(signed::recordsOf).flatMap(List::stream).toList();
      List<Run> runs = v.runs(records);
      if (!v.ordered) {
        return verify(origin, signed.toRecords(), keySet, now, expiryFloor, known, progress, sliceNames);
      }
      v.check(runs);
      from = to;
    }
    return v.report();
  }

  /**
   * Where the slice from owner {@code from} ends: {@code sliceNames} owners on, and past the other spellings of its
   * last name (owners are told apart by octets, names are not, RFC 4343 §3), so that no name is in two slices.
   */
  private static int sliceEnd(CompactRecords signed, int from, int sliceNames) {
    int to = (int) Math.min(signed.ownerCount(), (long) from + sliceNames);
    if (to < signed.ownerCount()) {
      Name last = signed.ownerName(to - 1);
      while (to < signed.ownerCount() && signed.ownerName(to).equals(last)) {
        to++;
      }
    }
    return to;
  }

  /**
   * The records whose signatures are checked, for the progress total: all but RRSIGs, one NSEC3 per owner (a name's
   * extra NSEC3s are reported, not checked). Read from the octets; records outside the zone are counted too.
   */
  private static long checkedRecords(CompactRecords signed) {
    long count = 0;
    int nsec3Owner = -1;
    CompactRecords.Cursor cursor = signed.cursor();
    while (cursor.next()) {
      int type = cursor.type();
      if (type == Type.NSEC3 ? cursor.ownerIndex() != nsec3Owner : type != Type.RRSIG) {
        count++;
      }
      if (type == Type.NSEC3) {
        nsec3Owner = cursor.ownerIndex();
      }
    }
    return count;
  }

  /** The records of the run whose signatures are checked: all but RRSIGs, one NSEC3. */
  private static long checkedRecords(Run run) {
    long count = 0;
    boolean nsec3 = false;
    for (Record r : run.records()) {
      if (r instanceof NSEC3Record) {
        nsec3 = true;
      } else if (!(r instanceof RRSIGRecord)) {
        count++;
      }
    }
    return nsec3 ? count + 1 : count;
  }

  /** Checks one slice: consecutive names, canonical order, after those of the slices before. */
  private void check(List<Run> runs) {
    if (runs.isEmpty() || stopped) {
      return;
    }
    List<Node> nodes = runs.parallelStream().map(ZoneVerifier::node).toList();
    if (!apexChecked && !checkApex(nodes.get(0).owner.equals(origin) ? nodes.get(0) : null)) {
      return;
    }
    assignRoles(nodes);
    checkSignatures(nodes);
    for (Node n : nodes) {
      hasNsec |= n.has(Type.NSEC);
    }
    if (!nsec3Params.isEmpty()) {
      if (nsec3Param != null) {
        collectNsec3(nodes);
        addRequiredNsec3Names(nodes);
      }
    } else {
      chainNsec(nodes);
    }
  }

  /**
   * Checks the apex (null when the first name is not the apex): exactly one SOA, the DNSKEY RRset, the NSEC3PARAM.
   * False when there is not exactly one SOA: nothing else is checked then.
   */
  private boolean checkApex(Node apex) {
    apexChecked = true;
    List<Record> soas = apex == null || apex.rrset(Type.SOA) == null ? List.of() : apex.rrset(Type.SOA);
    if (soas.size() != 1) {
      apexProblems.add("the apex " + origin + " has " + soas.size() + " SOA records, expected exactly 1");
      stopped = true;
      return false;
    }
    denialTtl = denialTtl((SOARecord) soas.get(0));
    signatures.checkKeys(apex.has(Type.DNSKEY) ? apex.rrset(Type.DNSKEY) : List.of(), expected, apexProblems);
    algorithms = signatures.algorithms();
    nsec3Params = apex.has(Type.NSEC3PARAM) ? apex.rrset(Type.NSEC3PARAM) : List.of();
    if (!nsec3Params.isEmpty()) {
      checkNsec3Param((NSEC3PARAMRecord) nsec3Params.get(0), nsec3Params.size());
    }
    return true;
  }

  /** The report, once every slice is checked: the problems of every kind, in the order of the kinds. */
  private VerificationReport report() {
    if (!apexChecked) {
      checkApex(null);
    }
    List<String> problems = new ArrayList<>(inputProblems);
    problems.addAll(apexProblems);
    if (!stopped) {
      problems.addAll(rrsetProblems);
      problems.addAll(nsec3RrsetProblems);
      problems.addAll(coverageProblems);
      if (!nsec3Params.isEmpty()) {
        if (hasNsec) {
          problems.add("the zone has both NSEC and NSEC3 records");
        }
        if (nsec3Param != null) {
          checkNsec3Chain();
        }
        problems.addAll(nsec3Problems);
      } else if (hasNsec) {
        // the last name's NSEC points back to the apex (RFC 4034 §4.1.1)
        checkNsecAt(previousInChain, origin, denialTtl, nsecProblems);
        problems.addAll(nsecProblems);
        problems.addAll(belowCutProblems);
      } else {
        problems.add("the zone has neither an NSEC chain nor an NSEC3PARAM record at the apex");
      }
    }
    return new VerificationReport(problems, VerifiedSignatures.of(verified, verifiedCount));
  }

  /** Consecutive in-zone records with one owner name, in input order. */
  private record Run(Name name, List<Record> records) {}

  /**
   * Groups consecutive records with one owner name into runs, reporting records outside the zone and extra NSEC3s
   * in input order, and notes whether the names inside the zone come in canonical order, checked with one name
   * comparison per name. {@code records} ends where a name ends. Input already in canonical order (as the signer
   * emits it) needs nothing more; any other order is sorted by name afterwards ({@link #sortedRuns}).
   */
  private List<Run> runs(List<Record> records) {
    List<Run> runs = new ArrayList<>();
    Set<Name> nsec3Owners = new HashSet<>();
    Name runName = null;
    boolean runInZone = false;
    int runStart = 0;
    for (int i = 0; i < records.size(); i++) {
      Record r = records.get(i);
      Name name = r.getName();
      if (runName == null || !name.equals(runName)) {
        if (runInZone) {
          runs.add(new Run(runName, records.subList(runStart, i)));
        }
        runName = name;
        runStart = i;
        runInZone = name.subdomain(origin);
        if (runInZone) {
          if (ordered && lastInZone != null && name.compareTo(lastInZone) <= 0) {
            ordered = false;
          }
          lastInZone = name;
        }
      }
      if (!runInZone) {
        inputProblems.add(name + "/" + Type.string(r.getType()) + " is outside the zone " + origin);
      } else if (r instanceof NSEC3Record && !nsec3Owners.add(name)) {
        inputProblems.add("more than one NSEC3 at " + name);
      }
    }
    if (runInZone) {
      runs.add(new Run(runName, records.subList(runStart, records.size())));
    }
    return runs;
  }

  /** The runs sorted by name, runs with one name joined in input order. */
  private static List<Run> sortedRuns(List<Run> runs) {
    List<Run> sorted = new ArrayList<>(runs);
    sorted.sort(Comparator.comparing(Run::name));  // List.sort is stable
    List<Run> joined = new ArrayList<>(sorted.size());
    for (int i = 0; i < sorted.size(); ) {
      int j = i + 1;
      while (j < sorted.size() && sorted.get(j).name().equals(sorted.get(i).name())) {
        j++;
      }
      if (j == i + 1) {
        joined.add(sorted.get(i));
      } else {
        List<Record> all = new ArrayList<>();
        sorted.subList(i, j).forEach(r -> all.addAll(r.records()));
        joined.add(new Run(sorted.get(i).name(), all));
      }
      i = j;
    }
    return joined;
  }

  private static Node node(Run run) {
    return node(run.name(), run.records());
  }

  /** The node of {@code owner} holding {@code records}, all owned by that name; its role is not set. */
  static Node node(Name owner, List<Record> records) {
    Node node = new Node(owner);
    for (Record r : records) {
      if (r instanceof RRSIGRecord sig) {
        if (node.rrsigOwner == null) {
          node.rrsigOwner = r.getName();
        }
        add(node.rrsigs, sig.getTypeCovered(), sig);
      } else if (r instanceof NSEC3Record nsec3) {
        node.nsec3 = nsec3;
      } else {
        if (node.dataOwner == null) {
          node.dataOwner = r.getName();
        }
        add(node.rrsets, r.getType(), r);
      }
    }
    sortByType(node.rrsets);
    sortByType(node.rrsigs);
    return node;
  }

  private static <T extends Record> void add(List<TypeGroup<T>> groups, int type, T record) {
    for (int i = groups.size() - 1; i >= 0; i--) {
      if (groups.get(i).type() == type) {
        groups.get(i).records().add(record);
        return;
      }
    }
    List<T> records = new ArrayList<>(2);
    records.add(record);
    groups.add(new TypeGroup<>(type, records));
  }

  /** Canonical order lists a name's types ascending already; other input is put in that order. */
  private static <T extends Record> void sortByType(List<TypeGroup<T>> groups) {
    for (int i = 1; i < groups.size(); i++) {
      if (groups.get(i - 1).type() > groups.get(i).type()) {
        groups.sort(Comparator.comparingInt(TypeGroup::type));
        return;
      }
    }
  }

  /**
   * Role of every name holding data (NSEC3 owners excluded). A name is occluded when a proper ancestor inside the
   * zone holding data is a delegation (NS, not the apex) or owns a DNAME (RFC 6672 §2.3); it is a delegation when it
   * has NS and is not the apex. One walk in canonical order, continued from slice to slice: a name's descendants
   * follow it contiguously, so the innermost cut above the current name is the last cut seen whose subtree has not
   * yet been left.
   */
  private void assignRoles(List<Node> nodes) {
    for (Node n : nodes) {
      if (!n.hasData()) {
        continue;
      }
      if (cut != null && !n.owner.subdomain(cut)) {
        cut = null;
      }
      if (cut != null) {
        n.role = Role.OCCLUDED;
        continue;
      }
      n.role = n.owner.equals(origin) || !n.has(Type.NS) ? Role.AUTHORITATIVE : Role.DELEGATION;
      if (n.role == Role.DELEGATION || n.has(Type.DNAME)) {
        cut = n.owner;
      }
    }
  }

  /**
   * Checks the RRSIGs of every RRset of the slice. The cryptographic checks run in parallel (common fork-join pool);
   * problems are collected per RRset and reported in canonical order, so the report is deterministic.
   */
  private void checkSignatures(List<Node> nodes) {
    List<RrsetCheck> checks = new ArrayList<>();
    for (Node n : nodes) {
      addRrsetChecks(n, checks);
    }
    int rrsetChecks = checks.size();
    for (Node n : nodes) {
      if (n.nsec3 != null) {
        checks.add(new RrsetCheck(n.nsec3.getName(), Type.NSEC3, List.of(n.nsec3), n.rrsigsOver(Type.NSEC3), true));
      }
    }
    List<Checked> results = checks.parallelStream().map(c -> {
      Checked result = signatures.checkRrset(c, algorithms);
      progress.reached(checked.addAndGet(c.records().size()), total);
      return result;
    }).toList();
    int valid = results.stream().mapToInt(r -> r.valid().length / 2).sum();
    if (2 * (verifiedCount + valid) > verified.length) {
      verified = Arrays.copyOf(verified, Math.max(2 * (verifiedCount + valid), 2 * verified.length));
    }
    for (int i = 0; i < results.size(); i++) {
      Checked r = results.get(i);
      (i < rrsetChecks ? rrsetProblems : nsec3RrsetProblems).addAll(r.problems());
      System.arraycopy(r.valid(), 0, verified, 2 * verifiedCount, r.valid().length);
      verifiedCount += r.valid().length / 2;
    }
    for (Node n : nodes) {
      uncoveredRrsigs(n, coverageProblems);
    }
  }

  /**
   * The checks of a node's RRsets (NSEC3 apart): every RRset of an authoritative name, at a delegation DS and NSEC,
   * must be signed; other RRsets, glue and data below a cut, must not be (RFC 4035 §2.2).
   */
  static void addRrsetChecks(Node n, List<RrsetCheck> checks) {
    for (TypeGroup<Record> t : n.rrsets) {
      boolean mustSign = n.role == Role.AUTHORITATIVE
          || (n.role == Role.DELEGATION && (t.type() == Type.DS || t.type() == Type.NSEC));
      checks.add(new RrsetCheck(n.dataOwner, t.type(), t.records(), n.rrsigsOver(t.type()), mustSign));
    }
  }

  /** Reports the node's RRSIGs whose type has no RRset at the name: left behind by a removed RRset, for instance. */
  static void uncoveredRrsigs(Node n, List<String> problems) {
    for (TypeGroup<RRSIGRecord> t : n.rrsigs) {
      boolean covered = t.type() == Type.NSEC3 ? n.nsec3 != null : n.has(t.type());
      if (!covered) {
        problems.add("RRSIG " + n.rrsigOwner + "/" + Type.string(t.type()) + " covers no RRset in the zone");
      }
    }
  }

  /** The TTL of NSEC and NSEC3 records: the lesser of the SOA's MINIMUM and its own TTL (RFC 9077 §3). */
  static long denialTtl(SOARecord soa) {
    return Math.min(soa.getMinimum(), soa.getTTL());
  }

  /**
   * The types a name's NSEC or NSEC3 bitmap lists besides NSEC and RRSIG, and {@code additions}: at a delegation NS
   * and DS, elsewhere every type present. Ascending and distinct, as dnsjava's bitmaps hand them out.
   */
  private static int[] expectedTypes(Node node, int... additions) {
    int[] types = new int[node.rrsets.size() + 2 + additions.length];
    int k = 0;
    if (node.role == Role.DELEGATION) {
      types[k++] = Type.NS;
      if (node.has(Type.DS)) {
        types[k++] = Type.DS;
      }
    } else {
      for (TypeGroup<Record> g : node.rrsets) {
        if (!NOT_DATA.contains(g.type())) {
          types[k++] = g.type();
        }
      }
    }
    for (int t : additions) {
      types[k++] = t;
    }
    Arrays.sort(types, 0, k);
    int distinct = 0;
    for (int i = 0; i < k; i++) {
      if (distinct == 0 || types[distinct - 1] != types[i]) {
        types[distinct++] = types[i];
      }
    }
    return Arrays.copyOf(types, distinct);
  }

  /** Null when the bitmap lists exactly the expected types, else the problem's "lists …, expected …" part. */
  private static String bitmapMismatch(int[] listed, int[] expected) {
    if (Arrays.equals(listed, expected)) {
      return null;
    }
    Set<Integer> listedSet = typeSet(listed);
    Set<Integer> expectedSet = typeSet(expected);
    return listedSet.equals(expectedSet) ? null
        : " lists " + typeNames(listedSet) + ", expected " + typeNames(expectedSet);
  }

  /**
   * Checks the NSEC chain through the slice's names (RFC 4035 §2.3: authoritative names and delegations, canonical
   * order), each name's NSEC once the next name is known; the last name's NSEC is checked by {@link #report}.
   */
  private void chainNsec(List<Node> nodes) {
    for (Node n : nodes) {
      if (n.hasData() && n.role != Role.OCCLUDED) {
        if (previousInChain != null) {
          checkNsecAt(previousInChain, n.dataOwner, denialTtl, nsecProblems);
        }
        previousInChain = n;
      }
      checkNoNsecBelowCut(n, belowCutProblems);
    }
  }

  /**
   * The NSEC of a name in the chain (RFC 4034 §4.1): exactly one, pointing to {@code next}, the next name in the
   * chain, listing the name's types, with the denial TTL.
   */
  static void checkNsecAt(Node node, Name next, long ttl, List<String> problems) {
    Name name = node.dataOwner;
    List<Record> nsecs = node.rrset(Type.NSEC);
    if (nsecs == null) {
      problems.add("no NSEC at " + name);
      return;
    }
    if (nsecs.size() > 1) {
      problems.add("more than one NSEC at " + name);
    }
    NSECRecord nsec = (NSECRecord) nsecs.get(0);
    if (!nsec.getNext().equals(next)) {
      problems.add("NSEC at " + name + " points to " + nsec.getNext() + ", expected the next name " + next);
    }
    // the NSEC is signed everywhere, at delegations too
    String mismatch = bitmapMismatch(nsec.getTypes(), expectedTypes(node, Type.NSEC, Type.RRSIG));
    if (mismatch != null) {
      problems.add("NSEC at " + name + mismatch);
    }
    if (nsec.getTTL() != ttl) {
      problems.add("NSEC at " + name + " has TTL " + nsec.getTTL() + ", expected " + ttl + " (RFC 9077 §3)");
    }
  }

  /** A name below a zone cut or DNAME is not in the chain and has no NSEC (RFC 4035 §2.3). */
  static void checkNoNsecBelowCut(Node n, List<String> problems) {
    if (n.role == Role.OCCLUDED && n.has(Type.NSEC)) {
      problems.add("NSEC at " + n.dataOwner + ", a name below a zone cut or DNAME");
    }
  }

  /**
   * A name that needs an NSEC3 (RFC 5155 §7.1): a name in the chain, or an empty non-terminal above one, with what
   * its NSEC3 is checked against. {@code mandatory} is false where opt-out may leave it out: an insecure delegation,
   * or an empty non-terminal that leads only to insecure delegations (RFC 5155 §6). Names below a cut are on the
   * path only, never required.
   */
  private static final class Required {
    final Name name;
    /** An empty non-terminal. */
    final boolean ent;
    /** The types its NSEC3 must list; null for names below a cut. */
    final int[] expected;
    boolean mandatory;
    /** Its RFC 5155 §5 hash, once computed. */
    byte[] hash;

    Required(Name name, boolean ent, int[] expected, boolean mandatory) {
      this.name = name;
      this.ent = ent;
      this.expected = expected;
      this.mandatory = mandatory;
    }
  }

  /**
   * Adds the slice's names that need an NSEC3, canonical order, and hashes them (in parallel, common fork-join
   * pool). One walk over the sorted names, continued from slice to slice, with the path of data names and empty
   * non-terminals above the current name: the labels between the deepest name on that path and the current name are
   * empty non-terminals met for the first time, and they sort after every name before (a subtree is contiguous in
   * canonical order). An empty non-terminal becomes mandatory when a mandatory name is found below it, later.
   */
  private void addRequiredNsec3Names(List<Node> nodes) {
    int start = required.size();
    for (Node n : nodes) {
      if (!n.hasData()) {
        continue;
      }
      Name name = n.dataOwner;
      while (!path.isEmpty() && !name.subdomain(path.peek().name)) {
        path.pop();
      }
      boolean mandatory = !(n.role == Role.DELEGATION && !n.has(Type.DS));
      Required here = new Required(name, false, n.role == Role.OCCLUDED ? null : expectedNsec3Types(n), mandatory);
      if (n.role != Role.OCCLUDED) {
        if (here.mandatory) {
          path.forEach(above -> above.mandatory |= above.ent);
        }
        if (!path.isEmpty()) {
          for (int strip = name.labels() - path.peek().name.labels() - 1; strip >= 1; strip--) {
            Required ent = new Required(new Name(name, strip), true, new int[0], here.mandatory);
            required.add(ent);
            path.push(ent);
          }
        }
        required.add(here);
      }
      path.push(here);
    }
    byte[] salt = nsec3Param.getSalt();
    int iterations = nsec3Param.getIterations();
    required.subList(start, required.size()).parallelStream().forEach(r -> r.hash = hash(r.name, salt, iterations));
  }

  /**
   * The types the NSEC3 of a name in the chain lists: its types, and RRSIG where the name has signed RRsets (an
   * authoritative name, or a delegation with DS). Shared between names with the same types.
   */
  private int[] expectedNsec3Types(Node node) {
    int[] expected = expectedTypes(node);
    if (node.role == Role.AUTHORITATIVE || Arrays.binarySearch(expected, Type.DS) >= 0) {
      expected = expectedTypes(node, Type.RRSIG);
    }
    int[] types = expected;
    return bitmaps.computeIfAbsent(Arrays.toString(types), k -> types);
  }

  /** An NSEC3 with its owner's hash decoded, and what the chain check reads of it. */
  private record HashedNsec3(byte[] hash, Name owner, byte[] next, int[] types, int flags) {}

  /** Checks the apex's NSEC3PARAM; the NSEC3 chain is checked when its hash algorithm is SHA-1. */
  private void checkNsec3Param(NSEC3PARAMRecord param, int paramCount) {
    if (paramCount > 1) {
      nsec3Problems.add("more than one NSEC3PARAM at the apex");
    }
    if (param.getHashAlgorithm() != 1) {
      nsec3Problems.add("NSEC3PARAM hash algorithm " + param.getHashAlgorithm() + " is not SHA-1 (RFC 5155 §11)");
      return;
    }
    if (param.getFlags() != 0) {
      nsec3Problems.add("NSEC3PARAM flags are " + param.getFlags() + ", must be 0 (RFC 5155 §4.1.2)");
    }
    nsec3Param = param;
  }

  /** Checks the owner, parameters and TTL of the slice's NSEC3 records and keeps what the chain check needs. */
  private void collectNsec3(List<Node> nodes) {
    base32 b32 = new base32(base32.Alphabet.BASE32HEX, false, false);
    for (Node node : nodes) {
      NSEC3Record n = node.nsec3;
      if (n == null) {
        continue;
      }
      byte[] hash = n.getName().labels() == origin.labels() + 1 && new Name(n.getName(), 1).equals(origin)
          ? ownerHash(n.getName().getLabelString(0), b32) : null;
      if (hash == null || hash.length != 20) {
        nsec3Problems.add("NSEC3 at " + n.getName() + ": owner is not a base32hex SHA-1 hash directly below the apex");
        continue;
      }
      hashed.add(new HashedNsec3(hash, n.getName(), n.getNext(), n.getTypes(), n.getFlags()));
      if (n.getHashAlgorithm() != nsec3Param.getHashAlgorithm() || n.getIterations() != nsec3Param.getIterations()
          || !Arrays.equals(n.getSalt(), nsec3Param.getSalt())) {
        nsec3Problems.add("NSEC3 at " + n.getName() + " has parameters that differ from the NSEC3PARAM");
      }
      if (n.getTTL() != denialTtl) {
        nsec3Problems.add(
            "NSEC3 at " + n.getName() + " has TTL " + n.getTTL() + ", expected " + denialTtl + " (RFC 9077 §3)");
      }
    }
  }

  /** Checks the NSEC3 chain (RFC 5155 §7.1) once every name is met: its order, and an NSEC3 for every name needing one. */
  private void checkNsec3Chain() {
    base32 b32 = new base32(base32.Alphabet.BASE32HEX, false, false);
    // Hash order; canonical name order gives it already for well-formed owners, the sort only confirms it. Two
    // owners decoding to one hash keep the later one, as a map would.
    hashed.sort((a, b) -> Arrays.compareUnsigned(a.hash(), b.hash()));
    List<HashedNsec3> chain = new ArrayList<>(hashed.size());
    for (int i = 0; i < hashed.size(); i++) {
      if (i + 1 == hashed.size() || !Arrays.equals(hashed.get(i).hash(), hashed.get(i + 1).hash())) {
        chain.add(hashed.get(i));
      }
    }
    byte[][] hashes = chain.stream().map(HashedNsec3::hash).toArray(byte[][]::new);
    for (int i = 0; i < hashes.length; i++) {
      HashedNsec3 n = chain.get(i);
      byte[] next = hashes[(i + 1) % hashes.length];
      if (!Arrays.equals(n.next(), next)) {
        nsec3Problems.add("NSEC3 at " + n.owner() + " points to " + b32.toString(n.next()).toLowerCase()
            + ", expected the next hash " + b32.toString(next).toLowerCase());
      }
    }
    // Every name is checked on its own, in parallel (common fork-join pool); the problems stay in the names' order.
    // The flags of matched NSEC3s are read only after the stream completes.
    boolean[] matched = new boolean[hashes.length];
    IntStream.range(0, required.size()).parallel()
        .mapToObj(i -> checkNsec3For(required.get(i), chain, hashes, matched, b32))
        .filter(Objects::nonNull).toList().forEach(nsec3Problems::add);
    for (int i = 0; i < matched.length; i++) {
      if (!matched[i]) {
        nsec3Problems.add("NSEC3 at " + chain.get(i).owner() + " matches no authoritative name or empty non-terminal");
      }
    }
  }

  /**
   * The hash an NSEC3 owner label encodes (RFC 5155 §3.3: base32hex, RFC 4648 §7, without padding), or null. A
   * well-formed label (32 base32hex characters, either case) is decoded here, as dnsjava would but without its
   * intermediate strings and streams; any other label is left to dnsjava's decoder.
   */
  private static byte[] ownerHash(String label, base32 b32) {
    if (label.length() != 32) {
      return b32.fromString(label.toUpperCase());
    }
    byte[] hash = new byte[20];
    long bits = 0;
    int pending = 0;
    int out = 0;
    for (int i = 0; i < 32; i++) {
      char c = label.charAt(i);
      int v = c >= '0' && c <= '9' ? c - '0'
          : c >= 'a' && c <= 'v' ? c - 'a' + 10
          : c >= 'A' && c <= 'V' ? c - 'A' + 10
          : -1;
      if (v < 0) {
        return b32.fromString(label.toUpperCase());
      }
      bits = bits << 5 | v;
      pending += 5;
      if (pending >= 8) {
        pending -= 8;
        hash[out++] = (byte) (bits >>> pending);
      }
    }
    return hash;
  }

  /** The problem with the NSEC3 of one name that needs one, or null; marks the NSEC3 it finds as matched. */
  private static String checkNsec3For(Required e, List<HashedNsec3> chain, byte[][] hashes, boolean[] matched,
      base32 b32) {
    int at = Arrays.binarySearch(hashes, e.hash, Arrays::compareUnsigned);
    if (at < 0) {
      return e.mandatory || !coveredByOptOut(chain, -at - 1)
          ? "no NSEC3 for " + (e.ent ? "empty non-terminal " : "") + e.name + " (hash "
              + b32.toString(e.hash).toLowerCase() + ")"
          : null;
    }
    matched[at] = true;
    String mismatch = bitmapMismatch(chain.get(at).types(), e.expected);
    return mismatch == null ? null : "NSEC3 for " + e.name + mismatch;
  }

  /**
   * RFC 5155 §6: a missing name is acceptable only if the NSEC3 covering its hash has the Opt-Out flag. The
   * covering NSEC3 is the one before the hash's insertion point in hash order.
   */
  private static boolean coveredByOptOut(List<HashedNsec3> chain, int insertionPoint) {
    if (chain.isEmpty()) {
      return false;
    }
    // the last NSEC3 wraps around and covers hashes below the first
    HashedNsec3 before = chain.get(insertionPoint > 0 ? insertionPoint - 1 : chain.size() - 1);
    return (before.flags() & NSEC3Record.Flags.OPT_OUT) != 0;
  }

  /** One SHA-1 digest per thread: the names of a large zone are hashed in parallel. */
  private static final ThreadLocal<MessageDigest> SHA1 = ThreadLocal.withInitial(() -> {
    try {
      return MessageDigest.getInstance("SHA-1");
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("SHA-1 is mandatory in every Java platform", e);
    }
  });

  /** RFC 5155 §5: IH(salt, x, 0) = H(x || salt), IH(salt, x, k) = H(IH(salt, x, k-1) || salt), x in canonical wire form. */
  static byte[] hash(Name name, byte[] salt, int iterations) {
    MessageDigest sha1 = SHA1.get();
    byte[] s = salt == null ? new byte[0] : salt;  // dnsjava returns null for "no salt" ("-")
    sha1.update(name.toWireCanonical());
    sha1.update(s);
    byte[] h = sha1.digest();
    for (int i = 0; i < iterations; i++) {
      sha1.update(h);
      sha1.update(s);
      h = sha1.digest();
    }
    return h;
  }

  private static Set<Integer> typeSet(int[] types) {
    Set<Integer> set = new TreeSet<>();
    for (int t : types) {
      set.add(t);
    }
    return set;
  }

  private static String typeNames(Set<Integer> types) {
    return types.stream().map(Type::string).toList().toString();
  }
}
