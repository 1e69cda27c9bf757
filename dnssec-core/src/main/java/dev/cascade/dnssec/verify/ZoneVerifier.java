package dev.cascade.dnssec.verify;

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
import java.util.HashSet;
import java.util.List;
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
 * <p>Checks: the DNSKEY RRset equals the published key set; every authoritative RRset (RFC 4035 §2.2)
 * has a valid RRSIG from a published key, for every algorithm in the DNSKEY RRset (RFC 4035 §2.2);
 * every RRSIG is by a published key, verifies, and does not expire before {@code now + expiryFloor};
 * the NSEC chain (RFC 4034 §4, RFC 4035 §2.3) or NSEC3 chain (RFC 5155 §7.1) is complete, ordered,
 * closed and has correct type bitmaps and RFC 9077 TTLs.
 *
 * <p>Built for large zones (it runs on every signed version of a 1M-delegation TLD): a signed zone arrives in
 * canonical order (RFC 4034 §6.1), so one pass groups consecutive records into names, checking the order with
 * dnsjava's {@link Name#compareTo} (not the signer's comparator, so a signer sorting bug is caught), and only input
 * out of order is sorted. Zone cuts, empty non-terminals and the NSEC/NSEC3 chains then come from walks over the
 * sorted names, which keep every subtree contiguous; NSEC3 hashes are compared as bytes. Problems are reported
 * in canonical order of names, then of types.
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

  private final Name origin;
  private final List<String> problems = new ArrayList<>();
  /** Every owner name in the zone, canonical order (RFC 4034 §6.1), each once. */
  private List<Node> nodes;
  private final SignatureChecks signatures;
  /** Signatures this run found valid, as (high, low) pairs: the next run's known signatures. */
  private long[] verified = new long[0];
  private int verifiedCount;

  /** Told as RRsets are checked: the records in them, of all records whose signatures are checked. */
  private final Progress progress;

  private ZoneVerifier(Name origin, Instant now, Duration expiryFloor, VerifiedSignatures known, Progress progress) {
    this.origin = origin;
    this.signatures = new SignatureChecks(origin, now, now.plus(expiryFloor), known);
    this.progress = progress;
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
    return verify(origin, signed, publishedKeySet, now, expiryFloor, known, Progress.NONE);
  }

  /**
   * Verifies a signed zone as {@link #verify(Name, List, List, Instant, Duration, VerifiedSignatures)} does, and tells
   * {@code progress} how far the signature checks, the bulk of the work, have got: the records of the RRsets checked
   * so far, of all RRsets that are checked (the RRSIGs themselves are not counted). It is called on the checking
   * threads, once per RRset.
   */
  public static VerificationReport verify(Name origin, List<Record> signed, List<DNSKEYRecord> publishedKeySet,
      Instant now, Duration expiryFloor, VerifiedSignatures known, Progress progress) {
    ZoneVerifier v = new ZoneVerifier(origin, now, expiryFloor, known, progress);
    v.run(signed, publishedKeySet);
    return new VerificationReport(v.problems, VerifiedSignatures.of(v.verified, v.verifiedCount));
  }

  private void run(List<Record> signed, List<DNSKEYRecord> published) {
    nodes = group(signed);
    Node apex = !nodes.isEmpty() && nodes.get(0).owner.equals(origin) ? nodes.get(0) : null;
    List<Record> soas = apex == null || apex.rrset(Type.SOA) == null ? List.of() : apex.rrset(Type.SOA);
    if (soas.size() != 1) {
      problems.add("the apex " + origin + " has " + soas.size() + " SOA records, expected exactly 1");
      return;
    }
    SOARecord soa = (SOARecord) soas.get(0);
    signatures.checkKeys(apex.has(Type.DNSKEY) ? apex.rrset(Type.DNSKEY) : List.of(), published, problems);

    assignRoles();
    checkSignatures();
    long denialTtl = denialTtl(soa);
    boolean hasNsec = nodes.stream().anyMatch(n -> n.has(Type.NSEC));
    List<Record> params = apex.has(Type.NSEC3PARAM) ? apex.rrset(Type.NSEC3PARAM) : List.of();
    if (!params.isEmpty()) {
      if (hasNsec) {
        problems.add("the zone has both NSEC and NSEC3 records");
      }
      checkNsec3((NSEC3PARAMRecord) params.get(0), params.size(), denialTtl);
    } else if (hasNsec) {
      checkNsec(denialTtl);
    } else {
      problems.add("the zone has neither an NSEC chain nor an NSEC3PARAM record at the apex");
    }
  }

  /** Consecutive in-zone records with one owner name, in input order. */
  private record Run(Name name, List<Record> records) {}

  /**
   * Groups the records by owner name into nodes in canonical order, reporting records outside the zone and extra
   * NSEC3s in input order. Input already in canonical order (as the signer emits it) is grouped in one pass, with
   * one name comparison per name; any other order is sorted by name (a stable sort, so records at one name keep
   * their input order).
   */
  private List<Node> group(List<Record> signed) {
    List<Record> records = signed instanceof RandomAccess ? signed : new ArrayList<>(signed);
    List<Run> runs = new ArrayList<>();
    Set<Name> nsec3Owners = new HashSet<>();
    boolean ordered = true;
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
        if (runInZone && ordered && !runs.isEmpty() && name.compareTo(runs.get(runs.size() - 1).name()) <= 0) {
          ordered = false;
        }
      }
      if (!runInZone) {
        problems.add(name + "/" + Type.string(r.getType()) + " is outside the zone " + origin);
      } else if (r instanceof NSEC3Record && !nsec3Owners.add(name)) {
        problems.add("more than one NSEC3 at " + name);
      }
    }
    if (runInZone) {
      runs.add(new Run(runName, records.subList(runStart, records.size())));
    }
    if (!ordered) {
      runs = sortedRuns(runs);
    }
    return runs.parallelStream().map(ZoneVerifier::node).toList();
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
   * has NS and is not the apex. One walk in canonical order: a name's descendants follow it contiguously, so the
   * innermost cut above the current name is the last cut seen whose subtree has not yet been left.
   */
  private void assignRoles() {
    Name cut = null;
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
   * Checks every RRset's RRSIGs. The cryptographic checks run in parallel (common fork-join pool);
   * problems are collected per RRset and reported in canonical order, so the report is deterministic.
   */
  private void checkSignatures() {
    Set<Integer> algorithms = signatures.algorithms();
    List<RrsetCheck> checks = new ArrayList<>();
    for (Node n : nodes) {
      addRrsetChecks(n, checks);
    }
    for (Node n : nodes) {
      if (n.nsec3 != null) {
        checks.add(new RrsetCheck(n.nsec3.getName(), Type.NSEC3, List.of(n.nsec3), n.rrsigsOver(Type.NSEC3), true));
      }
    }
    long total = checks.stream().mapToLong(c -> c.records().size()).sum();
    AtomicLong checked = new AtomicLong();
    List<Checked> results = checks.parallelStream().map(c -> {
      Checked result = signatures.checkRrset(c, algorithms);
      progress.reached(checked.addAndGet(c.records().size()), total);
      return result;
    }).toList();
    verifiedCount = results.stream().mapToInt(r -> r.valid().length / 2).sum();
    verified = new long[2 * verifiedCount];
    int at = 0;
    for (Checked r : results) {
      problems.addAll(r.problems());
      System.arraycopy(r.valid(), 0, verified, at, r.valid().length);
      at += r.valid().length;
    }
    for (Node n : nodes) {
      uncoveredRrsigs(n, problems);
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


  /** The names an NSEC chain must hold: authoritative names and delegations, canonical order (RFC 4035 §2.3). */
  private List<Node> chain() {
    return nodes.stream().filter(n -> n.hasData() && n.role != Role.OCCLUDED).toList();
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

  private void checkNsec(long ttl) {
    List<Node> chain = chain();
    for (int i = 0; i < chain.size(); i++) {
      Node node = chain.get(i);
      Name name = node.dataOwner;
      Name next = i + 1 < chain.size() ? chain.get(i + 1).dataOwner : origin;
      checkNsecAt(node, next, ttl, problems);
    }
    for (Node n : nodes) {
      checkNoNsecBelowCut(n, problems);
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
   * A name that needs an NSEC3 (RFC 5155 §7.1): a name in the chain, or an empty non-terminal (node null) above
   * one. {@code mandatory} is false where opt-out may leave it out: an insecure delegation, or an empty non-terminal
   * that leads only to insecure delegations (RFC 5155 §6).
   */
  private static final class Required {
    final Name name;
    final Node node;
    boolean mandatory;

    Required(Name name, Node node, boolean mandatory) {
      this.name = name;
      this.node = node;
      this.mandatory = mandatory;
    }
  }

  /**
   * The names that need an NSEC3, canonical order. One walk over the sorted names with the path of data names and
   * empty non-terminals above the current name: the labels between the deepest name on that path and the current
   * name are empty non-terminals met for the first time, and they sort after every name before (a subtree is
   * contiguous in canonical order).
   */
  private List<Required> requiredNsec3Names() {
    List<Required> required = new ArrayList<>();
    Deque<Required> path = new ArrayDeque<>();
    for (Node n : nodes) {
      if (!n.hasData()) {
        continue;
      }
      Name name = n.dataOwner;
      while (!path.isEmpty() && !name.subdomain(path.peek().name)) {
        path.pop();
      }
      Required here = new Required(name, n, !(n.role == Role.DELEGATION && !n.has(Type.DS)));
      if (n.role != Role.OCCLUDED) {
        if (here.mandatory) {
          path.forEach(above -> above.mandatory |= above.node == null);
        }
        if (!path.isEmpty()) {
          for (int strip = name.labels() - path.peek().name.labels() - 1; strip >= 1; strip--) {
            Required ent = new Required(new Name(name, strip), null, here.mandatory);
            required.add(ent);
            path.push(ent);
          }
        }
        required.add(here);
      }
      path.push(here);
    }
    return required;
  }

  /** An NSEC3 with its owner's hash decoded. */
  private record HashedNsec3(byte[] hash, NSEC3Record nsec3) {}

  private void checkNsec3(NSEC3PARAMRecord param, int paramCount, long ttl) {
    if (paramCount > 1) {
      problems.add("more than one NSEC3PARAM at the apex");
    }
    if (param.getHashAlgorithm() != 1) {
      problems.add("NSEC3PARAM hash algorithm " + param.getHashAlgorithm() + " is not SHA-1 (RFC 5155 §11)");
      return;
    }
    if (param.getFlags() != 0) {
      problems.add("NSEC3PARAM flags are " + param.getFlags() + ", must be 0 (RFC 5155 §4.1.2)");
    }
    List<Required> required = requiredNsec3Names();
    base32 b32 = new base32(base32.Alphabet.BASE32HEX, false, false);
    List<HashedNsec3> hashed = new ArrayList<>();
    for (Node node : nodes) {
      NSEC3Record n = node.nsec3;
      if (n == null) {
        continue;
      }
      byte[] hash = n.getName().labels() == origin.labels() + 1 && new Name(n.getName(), 1).equals(origin)
          ? ownerHash(n.getName().getLabelString(0), b32) : null;
      if (hash == null || hash.length != 20) {
        problems.add("NSEC3 at " + n.getName() + ": owner is not a base32hex SHA-1 hash directly below the apex");
        continue;
      }
      hashed.add(new HashedNsec3(hash, n));
      if (n.getHashAlgorithm() != param.getHashAlgorithm() || n.getIterations() != param.getIterations()
          || !Arrays.equals(n.getSalt(), param.getSalt())) {
        problems.add("NSEC3 at " + n.getName() + " has parameters that differ from the NSEC3PARAM");
      }
      if (n.getTTL() != ttl) {
        problems.add("NSEC3 at " + n.getName() + " has TTL " + n.getTTL() + ", expected " + ttl + " (RFC 9077 §3)");
      }
    }
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
      NSEC3Record n = chain.get(i).nsec3();
      byte[] next = hashes[(i + 1) % hashes.length];
      if (!Arrays.equals(n.getNext(), next)) {
        problems.add("NSEC3 at " + n.getName() + " points to " + b32.toString(n.getNext()).toLowerCase()
            + ", expected the next hash " + b32.toString(next).toLowerCase());
      }
    }
    byte[] salt = param.getSalt();
    int iterations = param.getIterations();
    // Every name is hashed and checked on its own, in parallel (common fork-join pool); the problems stay in the
    // names' order. The flags of matched NSEC3s are read only after the stream completes.
    boolean[] matched = new boolean[hashes.length];
    IntStream.range(0, required.size()).parallel()
        .mapToObj(i -> checkNsec3For(required.get(i), hash(required.get(i).name, salt, iterations), chain, hashes,
            matched, b32))
        .filter(Objects::nonNull).toList().forEach(problems::add);
    for (int i = 0; i < matched.length; i++) {
      if (!matched[i]) {
        problems.add("NSEC3 at " + chain.get(i).nsec3().getName()
            + " matches no authoritative name or empty non-terminal");
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
  private static String checkNsec3For(Required e, byte[] hash, List<HashedNsec3> chain, byte[][] hashes,
      boolean[] matched, base32 b32) {
    int at = Arrays.binarySearch(hashes, hash, Arrays::compareUnsigned);
    boolean ent = e.node == null;
    if (at < 0) {
      return e.mandatory || !coveredByOptOut(chain, -at - 1)
          ? "no NSEC3 for " + (ent ? "empty non-terminal " : "") + e.name + " (hash " + b32.toString(hash).toLowerCase()
              + ")"
          : null;
    }
    matched[at] = true;
    int[] expected;
    if (ent) {
      expected = new int[0];
    } else {
      expected = expectedTypes(e.node);
      if (e.node.role == Role.AUTHORITATIVE || Arrays.binarySearch(expected, Type.DS) >= 0) {
        expected = expectedTypes(e.node, Type.RRSIG);
      }
    }
    String mismatch = bitmapMismatch(chain.get(at).nsec3().getTypes(), expected);
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
    return (before.nsec3().getFlags() & NSEC3Record.Flags.OPT_OUT) != 0;
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
