package dev.cascade.dnssec.sign;

import dev.cascade.dnssec.keys.SigningKey;
import dev.cascade.dnssec.parallel.Parallel;
import dev.cascade.dnssec.progress.Progress;
import dev.cascade.dnssec.zone.CanonicalOrder;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import org.xbill.DNS.DClass;
import org.xbill.DNS.DNSKEYRecord;
import org.xbill.DNS.NSEC3PARAMRecord;
import org.xbill.DNS.NSEC3Record;
import org.xbill.DNS.NSECRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.RRSIGRecord;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;
import org.xbill.DNS.utils.base32;

/**
 * Signs a complete zone: adds the DNSKEY RRset, the NSEC or NSEC3 chain (plus NSEC3PARAM) and an
 * RRSIG per authoritative RRset and key (RFC 4035 §2).
 *
 * <p>Zone cuts: an NS RRset below the apex is a delegation (RFC 4035 §2.2: only its DS and NSEC RRsets
 * are signed); names below a delegation (glue) or below a DNAME (RFC 6672 §2.3) are occluded: not
 * signed and not part of the NSEC/NSEC3 chain. Which keys are in the DNSKEY RRset and which sign what is each key's
 * {@link SigningKey#use() use}, as a roll sets it; a key without one is published, and, per algorithm, DNSKEY (and
 * CDS, CDNSKEY) is signed by the SEP keys (KSK/CSK), every other RRset by the non-SEP keys (ZSK); where an algorithm
 * has only SEP keys (a CSK) or only non-SEP keys, those sign everything for it (RFC 4035 §2.2: every RRset is signed
 * with every algorithm). See {@link #signers}.
 * The checks of the input, the zone cuts, the NSEC3 hashes, the output order and RRSIG generation run on
 * {@code threads} threads; the output is in canonical order whatever the scheduling.
 *
 * <p>Two modes, as in the reference Cascade (reference notes §6): a full signing ({@link #sign}) makes every RRSIG;
 * an incremental one ({@link #resign}) builds the zone structure and the NSEC/NSEC3 chain exactly as a full signing
 * does (no cryptography in that) and carries over every RRSIG of the previous signed version whose RRset, key and
 * role are unchanged and which is not due for refresh ({@link SignatureRefresh}); it makes only the rest and also
 * returns the difference to the previous version (RFC 1995). Expirations are spread ({@link SignatureValidity}).
 *
 * <p>Built for large zones (a 1M-delegation TLD): the input, already in canonical order when it comes from the
 * parser, is walked once into an array of names with their record ranges (no maps of maps); the NSEC3 owners are
 * merged into that order by name, so the output needs no final sort. The names are cut into chunks in output
 * order; signing threads (each with its own {@link RrsetSigner}) take chunks in order, a bounded distance ahead of
 * the caller, which hands each finished chunk to a sink and drops its RRSIGs and NSECs, so a streaming caller
 * never holds the signed zone.
 */
public final class ZoneSigner {
  /** Whether the signer generates {@code type} itself; an unsigned zone must not contain it. */
  static boolean isGenerated(int type) {
    return type == Type.RRSIG || type == Type.NSEC || type == Type.NSEC3 || type == Type.NSEC3PARAM
        || type == Type.DNSKEY;
  }

  private final Clock clock;
  private final int threads;
  private final Progress progress;

  /**
   * @param clock the source of "now" for inception, expiration and whether a signature is due
   * @param threads threads for RRSIG generation, at least 1
   */
  public ZoneSigner(Clock clock, int threads) {
    this(clock, threads, Progress.NONE);
  }

  /**
   * @param clock the source of "now" for inception, expiration and whether a signature is due
   * @param threads threads for RRSIG generation, at least 1
   * @param progress told, on the calling thread, after each chunk of names is signed and handed on: the records of
   *     the zone handed on so far, of all its records (the unsigned ones plus the DNSKEY and NSEC3PARAM it adds)
   */
  public ZoneSigner(Clock clock, int threads, Progress progress) {
    if (threads < 1) {
      throw new IllegalArgumentException("threads must be at least 1");
    }
    this.clock = clock;
    this.threads = threads;
    this.progress = progress;
  }

  /** How a name takes part in the signed zone. */
  enum Kind {
    /** Authoritative data (the apex included): every RRset signed, in the chain. */
    AUTHORITATIVE,
    /** A delegation point: only DS (and NSEC) signed; in the chain (NSEC3 opt-out: only with DS). */
    DELEGATION,
    /** Below a zone cut or a DNAME: neither signed nor in the chain. */
    OCCLUDED,
    /** An NSEC3 owner: only its NSEC3 record, signed. */
    HASHED
  }

  /**
   * One owner name: its records are {@code records[from, to)} (types ascending), plus the NSEC or NSEC3 made for it
   * and, after signing, its RRSIGs in canonical order.
   */
  static class Node {
    final Name name;
    final int from;
    final int to;
    Kind kind;
    /** NSEC only: the next name in the chain; the NSEC record itself is made when the node is signed. */
    Name next;
    Record denial;
    RRSIGRecord[] rrsigs;
    /** How many of {@link #rrsigs} come unchanged from the previous version. */
    int reused;

    Node(Name name, int from, int to, Kind kind) {
      this.name = name;
      this.from = from;
      this.to = to;
      this.kind = kind;
    }
  }

  /**
   * An NSEC3 owner. Its NSEC3 record is made only when its chunk is signed, like an NSEC: a TLD has hundreds of
   * thousands, and a record with its type bitmap is several times the size of the hash and types kept here.
   */
  static final class HashedNode extends Node {
    final byte[] nextHash;
    final int[] types;
    final Nsec3Shape shape;

    HashedNode(Name owner, byte[] nextHash, int[] types, Nsec3Shape shape) {
      super(owner, 0, 0, Kind.HASHED);
      this.nextHash = nextHash;
      this.types = types;
      this.shape = shape;
    }

    NSEC3Record nsec3() {
      return new NSEC3Record(name, DClass.IN, shape.ttl(), NSEC3Record.SHA1_DIGEST_ID, shape.flags(), shape.iterations(),
          shape.salt(), nextHash, types);
    }
  }

  /** What every NSEC3 record of a zone shares (RFC 5155 §3.1). */
  record Nsec3Shape(int flags, int iterations, byte[] salt, long ttl) {}

  /** Nodes per work unit of the signing threads: small enough to balance, large enough to amortise the hand-out. */
  static final int CHUNK = 512;

  /**
   * Signs the zone in full, with the policy's validity: inception now − inception offset, expiration now + lifetime
   * minus a spread per RRset (see {@link SignatureValidity}) so that later refreshes re-sign the zone a slice at a
   * time instead of all at once (the reference Cascade's re-signing schedule, reference notes §6).
   *
   * @param origin the apex
   * @param unsigned the zone's records without DNSSEC records (no RRSIG, NSEC, NSEC3, NSEC3PARAM, DNSKEY)
   * @param keys the keys to publish and sign with, each as its {@link SigningKey#use() use} says; all must be owned
   *     by {@code origin}
   * @param dnskeyTtl TTL of the DNSKEY RRset
   * @param policy denial mechanism, NSEC3 parameters, signature validity
   * @param signedSerial the serial to put in the SOA
   * @throws IllegalArgumentException for an input that cannot be signed (no SOA, foreign keys, DNSSEC records present,
   *     keys whose uses leave the DNSKEY RRset empty or an RRset without a key to sign it)
   * @throws IllegalStateException if a signature cannot be made
   */
  public SignedZone sign(Name origin, List<Record> unsigned, List<SigningKey> keys, long dnskeyTtl,
      SigningPolicy policy, long signedSerial) {
    List<Record> out = new ArrayList<>(unsigned.size() * 2);
    SigningCounts stats = sign(origin, unsigned, keys, dnskeyTtl, policy, signedSerial, out::add);
    return new SignedZone(out, stats);
  }

  /**
   * Signs the zone in full with the policy's validity, as {@link #sign(Name, List, List, long, SigningPolicy, long)}
   * does, and hands every record of the signed zone to {@code sink} in canonical order on the calling thread, as
   * {@link #sign(Name, List, List, long, SigningPolicy, long, Instant, Instant, Consumer)} does: a caller that keeps
   * the signed zone in a compact form never holds it as a list of records.
   *
   * @throws RuntimeException whatever {@code sink} throws, which ends the run
   */
  public SigningCounts sign(Name origin, List<Record> unsigned, List<SigningKey> keys, long dnskeyTtl,
      SigningPolicy policy, long signedSerial, Consumer<Record> sink) {
    return run(origin, unsigned, keys, dnskeyTtl, policy, signedSerial,
        SignatureValidity.spread(clock.instant(), policy), null, sink);
  }

  /**
   * Signs the zone with an explicit signature validity window (RFC 4034 §3.1.5), as an offline signer
   * such as {@code dnssec-signzone -s/-e} is told: every RRSIG gets exactly this window (no spread, the operator
   * asked for these times); the policy's inception offset, lifetime, remain time and refresh interval are ignored.
   *
   * @throws IllegalArgumentException also if {@code expiration} is not after {@code inception}
   * @see #sign(Name, List, List, long, SigningPolicy, long)
   */
  public SignedZone sign(Name origin, List<Record> unsigned, List<SigningKey> keys, long dnskeyTtl,
      SigningPolicy policy, long signedSerial, Instant inception, Instant expiration) {
    List<Record> out = new ArrayList<>(unsigned.size() * 2);
    SigningCounts stats = sign(origin, unsigned, keys, dnskeyTtl, policy, signedSerial, inception, expiration, out::add);
    return new SignedZone(out, stats);
  }

  /**
   * Signs the zone and hands every record of the signed zone to {@code sink}, in canonical order, on the calling
   * thread, while the signing threads work ahead on the names that follow. Nothing of the signed zone is kept
   * beyond what is in flight, so an offline signer can write a large zone with little more memory than the
   * unsigned zone takes.
   *
   * @throws RuntimeException whatever {@code sink} throws, which ends the run
   * @see #sign(Name, List, List, long, SigningPolicy, long, Instant, Instant)
   */
  public SigningCounts sign(Name origin, List<Record> unsigned, List<SigningKey> keys, long dnskeyTtl,
      SigningPolicy policy, long signedSerial, Instant inception, Instant expiration, Consumer<Record> sink) {
    if (!expiration.isAfter(inception)) {
      throw new IllegalArgumentException("signature expiration " + expiration + " is not after inception " + inception);
    }
    return run(origin, unsigned, keys, dnskeyTtl, policy, signedSerial, SignatureValidity.fixed(inception, expiration),
        null, sink);
  }

  /**
   * Signs the zone incrementally (reference notes §6, "incremental" mode): the result equals a full signing of
   * {@code unsigned} except for RRSIGs, which are carried over from {@code previousSigned} where the RRset (owner,
   * type, TTL, RDATA set) is unchanged, the key was in the previous DNSKEY RRset with the same DNSKEY record and
   * still signs that kind of RRset ({@link #signers}), and the RRSIG is not due ({@link SignatureRefresh}). So a
   * refresh with an unchanged zone re-makes only the SOA's RRSIGs and those due; a change re-signs the changed
   * RRsets, the SOA and the NSEC/NSEC3 records whose next name or type bitmap changed; a key that starts signing an
   * RRset's kind signs it anew. New RRsets and keys get spread expirations, due signatures the full lifetime
   * ({@link SignatureValidity}).
   *
   * @param previousSigned the previous signed version (as a signing returned it; sorted if not in canonical order)
   * @param unsigned the new unsigned version, as for {@link #sign(Name, List, List, long, SigningPolicy, long)}
   * @return the new signed version and its difference to {@code previousSigned}
   */
  public SignedZoneUpdate resign(Name origin, List<Record> previousSigned, List<Record> unsigned,
      List<SigningKey> keys, long dnskeyTtl, SigningPolicy policy, long signedSerial) {
    Instant now = clock.instant();
    PreviousVersion previous = new PreviousVersion(origin, previousSigned, keys, policy, now);
    return resign(origin, previous, unsigned, keys, dnskeyTtl, policy, signedSerial, now);
  }

  /**
   * Signs incrementally from the previous signed version and the changes to its unsigned zone: the new unsigned
   * zone is the previous signed version without the records a signing generates (RRSIG, NSEC, NSEC3, NSEC3PARAM,
   * DNSKEY), minus {@code unsignedChanges.removed()}, plus {@code unsignedChanges.added()}. Records to remove are
   * matched by owner, type, class and RDATA (not TTL). An SOA to remove is not matched (the previous signed SOA has
   * the signed serial, not the loaded one) and an added SOA replaces the apex SOA; its serial is replaced by
   * {@code signedSerial} anyway.
   *
   * @throws IllegalArgumentException also if the changes do not apply: a record to remove is not in the zone, or
   *     one to add is in it already
   * @see #resign(Name, List, List, List, long, SigningPolicy, long)
   */
  public SignedZoneUpdate resign(Name origin, List<Record> previousSigned, ZoneDiff unsignedChanges,
      List<SigningKey> keys, long dnskeyTtl, SigningPolicy policy, long signedSerial) {
    Instant now = clock.instant();
    PreviousVersion previous = new PreviousVersion(origin, previousSigned, keys, policy, now);
    List<Record> unsigned = applyChanges(origin, previous.unsignedRecords(), unsignedChanges);
    return resign(origin, previous, unsigned, keys, dnskeyTtl, policy, signedSerial, now);
  }

  private SignedZoneUpdate resign(Name origin, PreviousVersion previous, List<Record> unsigned,
      List<SigningKey> keys, long dnskeyTtl, SigningPolicy policy, long signedSerial, Instant now) {
    DiffingSink sink = new DiffingSink(previous.records, unsigned.size() * 2);
    SigningCounts stats = run(origin, unsigned, keys, dnskeyTtl, policy, signedSerial,
        SignatureValidity.spread(now, policy), previous, sink);
    return new SignedZoneUpdate(new SignedZone(sink.records, stats), sink.diff());
  }

  /**
   * {@code base} (canonical order) with the changes applied, in canonical order.
   *
   * @see #resign(Name, List, ZoneDiff, List, long, SigningPolicy, long)
   */
  private static List<Record> applyChanges(Name origin, Record[] base, ZoneDiff changes) {
    Record[] removed = changes.removed().stream()
        .filter(r -> !(r.getType() == Type.SOA && r.getName().equals(origin)))
        .sorted(CanonicalOrder.RECORDS).toArray(Record[]::new);
    Record[] added = changes.added().stream().sorted(CanonicalOrder.RECORDS).toArray(Record[]::new);
    boolean soaAdded = Arrays.stream(added).anyMatch(r -> r.getType() == Type.SOA && r.getName().equals(origin));
    List<Record> kept = new ArrayList<>(base.length);
    int j = 0;
    for (Record r : base) {
      int c = j < removed.length ? CanonicalOrder.RECORDS.compare(removed[j], r) : 1;
      if (c < 0) {
        throw new IllegalArgumentException("the change removes " + removed[j] + ", which the zone does not have");
      }
      if (c == 0) {
        j++;
      } else if (!(soaAdded && r.getType() == Type.SOA && r.getName().equals(origin))) {
        kept.add(r);
      }
    }
    if (j < removed.length) {
      throw new IllegalArgumentException("the change removes " + removed[j] + ", which the zone does not have");
    }
    List<Record> result = new ArrayList<>(kept.size() + added.length);
    int k = 0;
    for (Record r : added) {
      while (k < kept.size() && CanonicalOrder.RECORDS.compare(kept.get(k), r) < 0) {
        result.add(kept.get(k++));
      }
      if (k < kept.size() && CanonicalOrder.RECORDS.compare(kept.get(k), r) == 0) {
        throw new IllegalArgumentException("the change adds " + r + ", which the zone has already");
      }
      result.add(r);
    }
    result.addAll(kept.subList(k, kept.size()));
    return result;
  }

  private SigningCounts run(Name origin, List<Record> unsigned, List<SigningKey> keys, long dnskeyTtl,
      SigningPolicy policy, long signedSerial, SignatureValidity validity, PreviousVersion previous,
      Consumer<Record> sink) {
    if (keys.isEmpty()) {
      throw new IllegalArgumentException("no keys to sign " + origin + " with");
    }
    for (SigningKey key : keys) {
      if (!key.dnskey().getName().equals(origin)) {
        throw new IllegalArgumentException("key " + key.keyTag() + " belongs to " + key.dnskey().getName() + ", not " + origin);
      }
    }
    if (keys.stream().noneMatch(ZoneSigner::published)) {
      throw new IllegalArgumentException("no key of " + origin + " is to be published in its DNSKEY RRset");
    }
    if (signers(keys, true).length == 0 || signers(keys, false).length == 0) {
      throw new IllegalArgumentException("no key of " + origin + " signs its "
          + (signers(keys, true).length == 0 ? "DNSKEY RRset" : "RRsets other than DNSKEY"));
    }
    ExecutorService pool = threads == 1 ? null : Parallel.pool(threads, "zone-signer");
    try {
      return run(origin, unsigned, keys, dnskeyTtl, policy, signedSerial, validity, previous, sink, pool);
    } finally {
      if (pool != null) {
        pool.shutdownNow();
      }
    }
  }

  private SigningCounts run(Name origin, List<Record> unsigned, List<SigningKey> keys, long dnskeyTtl,
      SigningPolicy policy, long signedSerial, SignatureValidity validity, PreviousVersion previous,
      Consumer<Record> sink, ExecutorService pool) {
    Record[] input = checkedCopy(origin, unsigned, signedSerial, pool);
    SOARecord soa = null;
    for (int i = 0; i < input.length && input[i].getName().equals(origin); i++) {
      soa = input[i] instanceof SOARecord s ? s : soa;
    }
    if (soa == null) {
      throw new IllegalArgumentException("no SOA at the apex " + origin);
    }
    // RFC 9077 §3: NSEC/NSEC3 TTL = min(SOA MINIMUM, SOA TTL).
    long denialTtl = Math.min(soa.getMinimum(), soa.getTTL());
    NSEC3PARAMRecord param = policy.denial() == SigningPolicy.Denial.NSEC3
        // NSEC3PARAM flags are 0 (RFC 5155 §4.1.2); its TTL follows the NSEC3 records'.
        ? new NSEC3PARAMRecord(origin, DClass.IN, denialTtl, NSEC3Record.SHA1_DIGEST_ID, 0, policy.nsec3Iterations(),
            policy.nsec3Salt())
        : null;
    Record[] records = withApexAdditions(origin, input, keys, dnskeyTtl, param);
    input = null;  // only one copy of the zone stays reachable

    List<Node> nodes = nodes(origin, records, pool);
    List<Node> hashed = List.of();
    if (param == null) {
      nsecChain(origin, nodes);
    } else {
      hashed = nsec3Chain(origin, records, nodes, policy, denialTtl, pool);
    }
    RrsetSigner.PreparedKey[] prepared = keys.stream().map(RrsetSigner.PreparedKey::of)
        .toArray(RrsetSigner.PreparedKey[]::new);
    Node[] ordered = inOutputOrder(nodes, hashed, pool);
    nodes = null;
    hashed = null;
    long[] counts = signAndEmit(records, ordered, prepared, origin, validity, previous, denialTtl, pool, sink);
    return new SigningCounts(unsigned.size(), counts[1], counts[0], counts[2], threads);
  }

  /**
   * The unsigned records in canonical order, checked (inside the zone, no generated types) and with the apex SOA's
   * serial set to {@code signedSerial}.
   */
  private Record[] checkedCopy(Name origin, List<Record> unsigned, long signedSerial, ExecutorService pool) {
    Record[] input = unsigned.toArray(new Record[0]);
    Parallel.forRanges(pool, input.length, Parallel.pieces(pool, threads), (from, to) -> {
      Name checked = null;
      for (int i = from; i < to; i++) {
        Record r = input[i];
        Name name = r.getName();
        // An owner's records usually share one Name object (the parser's): check each owner once.
        if (name != checked) {
          if (!name.subdomain(origin)) {
            throw new IllegalArgumentException(name + " is outside the zone " + origin);
          }
          checked = name;
        }
        if (isGenerated(r.getType())) {
          throw new IllegalArgumentException("the unsigned zone already has " + Type.string(r.getType()) + " at " + name);
        }
        if (r instanceof SOARecord s && name.equals(origin)) {
          input[i] = new SOARecord(name, s.getDClass(), s.getTTL(), s.getHost(), s.getAdmin(), signedSerial,
              s.getRefresh(), s.getRetry(), s.getExpire(), s.getMinimum());
        }
      }
    });
    if (!CanonicalOrder.isKnownSorted(unsigned) && !isCanonical(input)) {
      Arrays.parallelSort(input, CanonicalOrder.RECORDS);
    }
    return input;
  }

  /**
   * The names and the NSEC3 owners merged into canonical order (RFC 4034 §6.1), the order of the output. An NSEC3
   * owner that is also a real name (a 32-octet base32hex label, rare) is folded into that name's node.
   */
  private Node[] inOutputOrder(List<Node> nodes, List<Node> hashed, ExecutorService pool) {
    int pieces = Parallel.pieces(pool, threads);
    List<List<Node>> parts = Parallel.map(pool, pieces, p -> {
      int from = (int) ((long) nodes.size() * p / pieces);
      int to = (int) ((long) nodes.size() * (p + 1) / pieces);
      int h = p == 0 ? 0 : firstNotBefore(hashed, nodes.get(from).name);
      int hashedTo = p == pieces - 1 ? hashed.size() : firstNotBefore(hashed, nodes.get(to).name);
      List<Node> part = new ArrayList<>(to - from + hashedTo - h);
      for (Node n : nodes.subList(from, to)) {
        while (h < hashedTo && hashed.get(h).name.compareTo(n.name) < 0) {
          part.add(hashed.get(h++));
        }
        if (h < hashedTo && hashed.get(h).name.equals(n.name)) {
          n.denial = ((HashedNode) hashed.get(h++)).nsec3();
        }
        part.add(n);
      }
      part.addAll(hashed.subList(h, hashedTo));
      return part;
    });
    return parts.stream().flatMap(List::stream).toArray(Node[]::new);
  }

  /** The index of the first of the sorted {@code nodes} whose name is not before {@code name}. */
  private static int firstNotBefore(List<Node> nodes, Name name) {
    int lo = 0;
    int hi = nodes.size();
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (nodes.get(mid).name.compareTo(name) < 0) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo;
  }

  /** Whether records are in {@link CanonicalOrder#RECORDS} order already (the parser's output is). */
  static boolean isCanonical(Record[] rs) {
    for (int i = 1; i < rs.length; i++) {
      Record a = rs[i - 1];
      Record b = rs[i];
      int c = a.getName() == b.getName() ? 0 : a.getName().compareTo(b.getName());
      if (c == 0) {
        c = Integer.compare(a.getType(), b.getType());
        if (c == 0) {
          c = Integer.compare(a.getDClass(), b.getDClass());
          if (c == 0) {
            c = Arrays.compareUnsigned(CanonicalOrder.rdata(a), CanonicalOrder.rdata(b));
          }
        }
      }
      if (c > 0) {
        return false;
      }
    }
    return true;
  }

  /**
   * The sorted records with the apex's generated DNSKEY RRset and NSEC3PARAM put in place. The apex sorts before
   * every other name of the zone (RFC 4034 §6.1), so its records are a prefix of the array.
   */
  static Record[] withApexAdditions(Name origin, Record[] sorted, List<SigningKey> keys, long dnskeyTtl,
      NSEC3PARAMRecord param) {
    int apexEnd = 0;
    while (apexEnd < sorted.length && sorted[apexEnd].getName().equals(origin)) {
      apexEnd++;
    }
    List<Record> apex = new ArrayList<>(Arrays.asList(sorted).subList(0, apexEnd));
    for (SigningKey key : keys) {
      if (!published(key)) {
        continue;
      }
      DNSKEYRecord k = key.dnskey();
      apex.add(new DNSKEYRecord(origin, DClass.IN, dnskeyTtl, k.getFlags(), k.getProtocol(), k.getAlgorithm(), k.getKey()));
    }
    if (param != null) {
      apex.add(param);
    }
    apex.sort(CanonicalOrder.RECORDS);
    Record[] records = new Record[sorted.length - apexEnd + apex.size()];
    apex.toArray(records);
    System.arraycopy(sorted, apexEnd, records, apex.size(), sorted.length - apexEnd);
    return records;
  }

  /**
   * Groups the sorted records by owner and finds the zone cuts in the same pass: canonical order lists every
   * name's descendants right after it, so the most recent cut is the only one a name can be below. Also checks
   * RFC 2181 §5.2 (one TTL per RRset; the loader normalises, so a difference here is a caller's bug).
   */
  private List<Node> nodes(Name origin, Record[] records, ExecutorService pool) {
    // Cut where a child of the apex starts: as canonical order lists every name's descendants right after it, no
    // zone cut before such a name is above the names from there on, except a DNAME at the apex (which occludes
    // everything below it, RFC 6672 §2.3). The apex's records come first.
    boolean apexDname = false;
    for (int i = 0; i < records.length && records[i].getName().equals(origin); i++) {
      apexDname |= records[i].getType() == Type.DNAME;
    }
    Name startCut = apexDname ? origin : null;
    int pieces = Math.min(Parallel.pieces(pool, threads), records.length);
    int[] starts = new int[pieces + 1];
    starts[pieces] = records.length;
    for (int p = 1; p < pieces; p++) {
      int i = Math.max(starts[p - 1], (int) ((long) records.length * p / pieces));
      while (i < records.length && !(i > 0 && records[i].getName().labels() == origin.labels() + 1
          && !records[i].getName().equals(records[i - 1].getName()))) {
        i++;
      }
      starts[p] = i;
    }
    List<List<Node>> parts = Parallel.map(pool, pieces,
        p -> nodes(origin, records, starts[p], starts[p + 1], p == 0 ? null : startCut));
    List<Node> nodes = new ArrayList<>(records.length / 2 + 1);
    parts.forEach(nodes::addAll);
    return nodes;
  }

  /** {@link #nodes(Name, Record[], ExecutorService)} for {@code records[from, to)}, below {@code cut} if not null. */
  private static List<Node> nodes(Name origin, Record[] records, int from, int to, Name cut) {
    List<Node> nodes = new ArrayList<>((to - from) / 2 + 1);
    int i = from;
    while (i < to) {
      Name name = records[i].getName();
      int start = i;
      boolean hasNs = false;
      boolean hasDname = false;
      while (i < to && (records[i].getName() == name || records[i].getName().equals(name))) {
        Record r = records[i];
        hasNs |= r.getType() == Type.NS;
        hasDname |= r.getType() == Type.DNAME;
        if (i > start && records[i - 1].getType() == r.getType() && records[i - 1].getTTL() != r.getTTL()) {
          throw new IllegalArgumentException("RRset " + name + "/" + Type.string(r.getType())
              + " has differing TTLs (RFC 2181 §5.2)");
        }
        i++;
      }
      Kind kind;
      if (cut != null && name.subdomain(cut) && !name.equals(cut)) {
        kind = Kind.OCCLUDED;
      } else {
        cut = null;
        if (hasNs && !name.equals(origin)) {
          kind = Kind.DELEGATION;
          cut = name;
        } else {
          kind = Kind.AUTHORITATIVE;
          if (hasDname) {
            cut = name;  // RFC 6672 §2.3: names below a DNAME are occluded
          }
        }
      }
      nodes.add(new Node(name, start, i, kind));
    }
    return nodes;
  }

  /** The types an NSEC or NSEC3 bitmap lists for a name, RRSIG included where something there is signed. */
  static int[] bitmapTypes(Record[] records, Node n, int extra) {
    int[] types = new int[n.to - n.from + 4];
    int count = 0;
    boolean hasDs = false;
    for (int i = n.from; i < n.to; i++) {
      int t = records[i].getType();
      hasDs |= t == Type.DS;
      if (count == 0 || types[count - 1] != t) {
        types[count++] = t;
      }
    }
    if (n.kind == Kind.DELEGATION) {
      // RFC 4035 §2.3: at a delegation only NS and the parent's authoritative data (DS) are listed.
      count = 0;
      types[count++] = Type.NS;
      if (hasDs) {
        types[count++] = Type.DS;
        types[count++] = Type.RRSIG;
      }
    } else {
      types[count++] = Type.RRSIG;
    }
    if (extra >= 0) {
      types[count++] = extra;
    }
    // dnsjava's TypeBitmap sorts and de-duplicates.
    return Arrays.copyOf(types, count);
  }

  /** RFC 4034 §4 / RFC 4035 §2.3: one NSEC per authoritative name and delegation, in canonical order, last to apex. */
  private static void nsecChain(Name origin, List<Node> nodes) {
    Node previous = null;
    for (Node n : nodes) {
      if (n.kind == Kind.OCCLUDED) {
        continue;
      }
      if (previous != null) {
        previous.next = n.name;
      }
      previous = n;
    }
    previous.next = origin;
  }

  private static NSECRecord nsec(Record[] records, Node n, Name next, long ttl) {
    // The NSEC itself is signed, also at an insecure delegation: RRSIG is always listed.
    int[] types = bitmapTypes(records, n, Type.NSEC);
    if (n.kind == Kind.DELEGATION) {
      types = Arrays.copyOf(types, types.length + 1);
      types[types.length - 1] = Type.RRSIG;
    }
    return new NSECRecord(n.name, DClass.IN, ttl, next, types);
  }

  /**
   * RFC 5155 §7.1: one NSEC3 per authoritative name, delegation (with opt-out only those with DS) and
   * empty non-terminal on the way to them; ENTs that lead only to opt-out delegations get none.
   */
  private List<Node> nsec3Chain(Name origin, Record[] records, List<Node> nodes, SigningPolicy policy, long ttl,
      ExecutorService pool) {
    byte[] salt = policy.nsec3Salt();
    int iterations = policy.nsec3Iterations();
    // The names' hashes and bitmaps on every thread; the empty non-terminals, rare and found by looking at the
    // names around, on this one.
    byte[][] hashes = new byte[nodes.size()][];
    int[][] types = new int[nodes.size()][];
    Parallel.forRanges(pool, nodes.size(), Parallel.pieces(pool, threads), (from, to) -> {
      MessageDigest sha1 = sha1();
      for (int i = from; i < to; i++) {
        Node n = nodes.get(i);
        if (n.kind != Kind.OCCLUDED
            && !(n.kind == Kind.DELEGATION && policy.optOut() && !hasType(records, n, Type.DS))) {
          hashes[i] = hash(sha1, n.name, salt, iterations);
          types[i] = bitmapTypes(records, n, -1);
        }
      }
    });
    List<Hashed> chain = new ArrayList<>();
    Set<Name> ents = new HashSet<>();
    MessageDigest sha1 = sha1();
    int apexLabels = origin.labels();
    for (int i = 0; i < hashes.length; i++) {
      if (hashes[i] != null) {
        chain.add(new Hashed(hashes[i], types[i]));
        // Names directly below the apex have the apex as parent: no empty non-terminal possible.
        if (nodes.get(i).name.labels() > apexLabels + 1) {
          addEmptyNonTerminals(nodes, nodes.get(i).name, apexLabels, ents, sha1, salt, iterations, chain);
        }
      }
    }
    chain.sort((a, b) -> Arrays.compareUnsigned(a.hash(), b.hash()));
    Nsec3Shape shape = new Nsec3Shape(policy.optOut() ? NSEC3Record.Flags.OPT_OUT : 0, iterations, salt, ttl);
    HashedNode[] hashed = new HashedNode[chain.size()];
    Parallel.forRanges(pool, chain.size(), Parallel.pieces(pool, threads), (from, to) -> {
      base32 b32 = new base32(base32.Alphabet.BASE32HEX, false, true);
      for (int i = from; i < to; i++) {
        Hashed h = chain.get(i);
        byte[] next = chain.get((i + 1) % chain.size()).hash();
        if (Arrays.equals(h.hash(), next) && chain.size() > 1) {
          throw new IllegalStateException("NSEC3 hash collision in " + origin + ": choose another salt (RFC 5155 §7.1)");
        }
        try {
          hashed[i] = new HashedNode(new Name(b32.toString(h.hash()), origin), next, h.types(), shape);
        } catch (TextParseException e) {
          throw new IllegalStateException("cannot form the NSEC3 owner name in " + origin, e);
        }
      }
    });
    return Arrays.asList(hashed);
  }

  /** A name of the NSEC3 chain: its hash and the types of its bitmap. */
  private record Hashed(byte[] hash, int[] types) {}

  /**
   * Adds to the chain the empty non-terminals above {@code name} not yet in it (RFC 5155 §7.1): ancestors below
   * the apex that own no records.
   */
  private static void addEmptyNonTerminals(List<Node> nodes, Name name, int apexLabels, Set<Name> ents,
      MessageDigest sha1, byte[] salt, int iterations, List<Hashed> chain) {
    for (int l = name.labels() - 1; l > apexLabels; l--) {
      Name up = new Name(name, name.labels() - l);
      int at = firstNotBefore(nodes, up);
      if ((at < nodes.size() && nodes.get(at).name.equals(up)) || !ents.add(up)) {
        break;
      }
      chain.add(new Hashed(hash(sha1, up, salt, iterations), new int[0]));  // empty non-terminal: empty bitmap
    }
  }

  static MessageDigest sha1() {
    try {
      return MessageDigest.getInstance("SHA-1");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-1 is mandatory in every Java platform", e);
    }
  }

  private static boolean hasType(Record[] records, Node n, int type) {
    for (int i = n.from; i < n.to; i++) {
      if (records[i].getType() == type) {
        return true;
      }
    }
    return false;
  }

  /** RFC 5155 §5: IH(salt, x, 0) = H(x || salt), IH(salt, x, k) = H(IH(salt, x, k-1) || salt). */
  static byte[] hash(MessageDigest sha1, Name name, byte[] salt, int iterations) {
    sha1.update(name.toWireCanonical());
    sha1.update(salt);
    byte[] h = sha1.digest();
    for (int i = 0; i < iterations; i++) {
      sha1.update(h);
      sha1.update(salt);
      h = sha1.digest();
    }
    return h;
  }

  /**
   * Makes every RRSIG (RFC 4035 §2.2) and hands the records to {@code sink} in order. The nodes are cut into chunks
   * in output order; the signing threads take chunks in that order, at most {@link #CHUNKS_IN_FLIGHT} ahead of the
   * calling thread, which emits each chunk when it is done and then drops its RRSIGs and NSECs. DNSKEY, CDS and
   * CDNSKEY are signed by the keys that sign keys, everything else by those that sign the zone ({@link #signers}).
   *
   * @param previous the previous signed version to take RRSIGs from, null for a full signing
   * @return the number of RRSIGs, of NSEC/NSEC3 records and of reused RRSIGs
   */
  private long[] signAndEmit(Record[] records, Node[] nodes, RrsetSigner.PreparedKey[] keys, Name origin,
      SignatureValidity validity, PreviousVersion previous, long denialTtl, ExecutorService pool,
      Consumer<Record> sink) {
    List<SigningKey> signingKeys = Arrays.stream(keys).map(RrsetSigner.PreparedKey::key).toList();
    int[] dnskeySigners = signers(signingKeys, true);
    int[] otherSigners = signers(signingKeys, false);
    int chunks = (nodes.length + CHUNK - 1) / CHUNK;
    long[] counts = new long[3];
    Emitter emitter = new Emitter(records, nodes, sink, counts, progress);

    if (pool == null) {
      RrsetSigner signer = new RrsetSigner(keys, origin, validity.inception);
      List<RRSIGRecord> sigs = new ArrayList<>();
      for (int c = 0; c < chunks; c++) {
        for (int i = c * CHUNK; i < Math.min(nodes.length, (c + 1) * CHUNK); i++) {
          signNode(records, nodes[i], signer, dnskeySigners, otherSigners, denialTtl, validity, previous, sigs);
        }
        emitter.emitChunk(c);
      }
      return counts;
    }

    @SuppressWarnings("unchecked")
    CompletableFuture<Void>[] done = new CompletableFuture[chunks];
    Arrays.setAll(done, c -> new CompletableFuture<>());
    Semaphore inFlight = new Semaphore(CHUNKS_IN_FLIGHT);
    AtomicInteger nextChunk = new AtomicInteger();
    Runnable work = () -> {
      RrsetSigner signer = new RrsetSigner(keys, origin, validity.inception);
      List<RRSIGRecord> sigs = new ArrayList<>();
      while (true) {
        try {
          inFlight.acquire();
        } catch (InterruptedException e) {
          return;  // the run failed or ended: the pool is being shut down
        }
        int c = nextChunk.getAndIncrement();
        if (c >= chunks) {
          return;
        }
        try {
          for (int i = c * CHUNK; i < Math.min(nodes.length, (c + 1) * CHUNK); i++) {
            signNode(records, nodes[i], signer, dnskeySigners, otherSigners, denialTtl, validity, previous, sigs);
          }
          done[c].complete(null);
        } catch (RuntimeException e) {
          done[c].completeExceptionally(e);
          return;
        }
      }
    };
    for (int t = 0; t < threads; t++) {
      pool.execute(work);
    }
    for (int c = 0; c < chunks; c++) {
      try {
        done[c].join();
      } catch (CompletionException e) {
        throw e.getCause() instanceof RuntimeException re ? re : new IllegalStateException(e.getCause());
      }
      emitter.emitChunk(c);
      inFlight.release();
    }
    return counts;
  }

  /**
   * The indexes of the keys that sign the DNSKEY RRset, and the CDS and CDNSKEY RRsets ({@code keySigning}), or
   * every other RRset. A key with a {@link SigningKey#use() use} signs as it says: a roll decides, phase by phase,
   * which keys sign (RFC 7583 §3, RFC 6781 §4.1). For the keys without one, RFC 4035 §2.2 wants every RRset signed
   * with every algorithm in the DNSKEY RRset, so the choice is made per algorithm: its SEP keys (KSK, CSK) sign
   * DNSKEY and its non-SEP keys (ZSK) the rest, one kind standing in for the other where the algorithm has only one
   * (a CSK of one algorithm beside a KSK and ZSK of another). CDS and CDNSKEY go with DNSKEY because they must be
   * signed by a key the parent's DS refers to (RFC 7344 §4.1).
   */
  static int[] signers(List<SigningKey> keys, boolean keySigning) {
    List<Integer> chosen = new ArrayList<>();
    for (int k = 0; k < keys.size(); k++) {
      SigningKey key = keys.get(k);
      if (key.use() != null) {
        if (keySigning ? key.use().signsKeys() : key.use().signsZone()) {
          chosen.add(k);
        }
        continue;
      }
      boolean sep = key.isSep();
      boolean otherKindInAlgorithm = false;
      for (SigningKey other : keys) {
        otherKindInAlgorithm |= other.use() == null && other.algorithm() == key.algorithm() && other.isSep() != sep;
      }
      if (sep == keySigning || !otherKindInAlgorithm) {
        chosen.add(k);
      }
    }
    return chosen.stream().mapToInt(Integer::intValue).toArray();
  }

  /** Whether the key is in the DNSKEY RRset: as its use says, and always for a key without one. */
  static boolean published(SigningKey key) {
    return key.use() == null || key.use().published();
  }

  /** Whether RRsets of {@code type} are signed by the keys that sign keys (RFC 7344 §4.1 for CDS and CDNSKEY). */
  static boolean signedByKeySigners(int type) {
    return type == Type.DNSKEY || type == Type.CDS || type == Type.CDNSKEY;
  }

  /** Signing threads may run this many chunks ahead of the output: enough to keep them busy, bounded in memory. */
  private static final int CHUNKS_IN_FLIGHT = 64;

  private static final RRSIGRecord[] NO_RRSIGS = new RRSIGRecord[0];

  static void signNode(Record[] records, Node n, RrsetSigner signer, int[] dnskeySigners, int[] otherSigners,
      long denialTtl, SignatureValidity validity, PreviousVersion previous, List<RRSIGRecord> sigs) {
    if (n.next != null) {
      n.denial = nsec(records, n, n.next, denialTtl);
    } else if (n instanceof HashedNode h) {
      n.denial = h.nsec3();
    }
    sigs.clear();
    if (n.kind == Kind.OCCLUDED) {
      n.rrsigs = NO_RRSIGS;
      return;
    }
    RrsetContext at = new RrsetContext(n.name, signer, validity, previous, sigs);
    int i = n.from;
    while (i < n.to) {
      int type = records[i].getType();
      int end = i + 1;
      while (end < n.to && records[end].getType() == type) {
        end++;
      }
      if (n.kind == Kind.AUTHORITATIVE || type == Type.DS) {
        at.sign(records, i, end, signedByKeySigners(type) ? dnskeySigners : otherSigners);
      }
      i = end;
    }
    if (n.denial != null) {
      at.sign(new Record[] {n.denial}, 0, 1, otherSigners);
    }
    if (sigs.size() > 1) {
      sigs.sort(CanonicalOrder.RECORDS);
    }
    n.rrsigs = sigs.toArray(new RRSIGRecord[0]);
    n.reused = at.reused;
  }

  /**
   * Signs the RRsets of one owner name: takes each RRSIG from the previous version where it may
   * ({@link #resign}), else makes it, a due one with the full lifetime and a new one with a spread expiration.
   */
  private static final class RrsetContext {
    private final RrsetSigner signer;
    private final SignatureValidity validity;
    private final PreviousVersion previous;
    private final List<RRSIGRecord> sigs;
    private final Name owner;
    /** The owner in the previous version, -1 if it had none (or there is no previous version). */
    private final int previousOwner;
    /** {@link SignatureValidity#ownerHash}, made when a spread expiration first needs it. */
    private long ownerHash;
    private boolean hashed;
    int reused;

    RrsetContext(Name owner, RrsetSigner signer, SignatureValidity validity, PreviousVersion previous,
        List<RRSIGRecord> sigs) {
      this.owner = owner;
      this.signer = signer;
      this.validity = validity;
      this.previous = previous;
      this.sigs = sigs;
      this.previousOwner = previous == null ? -1 : previous.owner(owner);
    }

    /** Adds the RRSIGs by {@code keyIndexes} over the RRset {@code rrs[from, to)} to the owner's. */
    void sign(Record[] rrs, int from, int to, int[] keyIndexes) {
      int type = rrs[from].getType();
      long ttl = rrs[from].getTTL();
      boolean unchanged = previousOwner >= 0 && previous.sameRrset(previousOwner, rrs, from, to);
      Instant spread = null;
      for (int k : keyIndexes) {
        RRSIGRecord old = unchanged ? previous.signature(previousOwner, type, ttl, k) : null;
        if (old != null && !previous.isDue(old)) {
          sigs.add(old);
          reused++;
        } else if (old != null) {
          sigs.add(signer.sign(rrs, from, to, k, validity.expiration));
        } else {
          if (spread == null) {
            if (!hashed && validity.spreads()) {
              ownerHash = SignatureValidity.ownerHash(owner);
              hashed = true;
            }
            spread = validity.spreadExpiration(ownerHash, type, ttl);
          }
          sigs.add(signer.sign(rrs, from, to, k, spread));
        }
      }
    }
  }

  /**
   * Hands out the records of finished chunks: per name its records below type RRSIG, its RRSIGs, its NSEC, then
   * the rest (DNSKEY, NSEC3PARAM, ...); then forgets the chunk's RRSIGs and denial records.
   */
  static final class Emitter {
    private final Record[] records;
    private final Node[] nodes;
    private final Consumer<Record> sink;
    private final long[] counts;
    private final Progress progress;
    /** Records of {@link #records} handed on so far: each belongs to one node (an NSEC3 owner has none). */
    private long emitted;

    Emitter(Record[] records, Node[] nodes, Consumer<Record> sink, long[] counts, Progress progress) {
      this.records = records;
      this.nodes = nodes;
      this.sink = sink;
      this.counts = counts;
      this.progress = progress;
    }

    void emitChunk(int c) {
      int end = Math.min(nodes.length, (c + 1) * CHUNK);
      for (int i = c * CHUNK; i < end; i++) {
        Node n = nodes[i];
        emit(n);
        emitted += n.to - n.from;
        n.rrsigs = null;
        n.denial = null;
      }
      progress.reached(emitted, records.length);
    }

    private void emit(Node n) {
      int i = n.from;
      while (i < n.to && records[i].getType() < Type.RRSIG) {
        sink.accept(records[i++]);
      }
      if (n.rrsigs != null) {
        for (RRSIGRecord sig : n.rrsigs) {
          sink.accept(sig);
        }
        counts[0] += n.rrsigs.length;
        counts[2] += n.reused;
      }
      if (n.denial != null) {
        int type = n.denial.getType();
        while (i < n.to && records[i].getType() < type) {
          sink.accept(records[i++]);
        }
        sink.accept(n.denial);
        counts[1]++;
      }
      while (i < n.to) {
        sink.accept(records[i++]);
      }
    }
  }

  /**
   * Keeps the signed zone as it streams out and compares it, record by record, with the previous version: both are
   * in canonical order (RFC 4034 §6), so one merge pass gives the RFC 1995 difference. A record equal in owner,
   * type, class and RDATA but with another TTL is removed and added.
   */
  static final class DiffingSink implements Consumer<Record> {
    final List<Record> records;
    private final Record[] previous;
    private int p;
    private final List<Record> removed = new ArrayList<>();
    private final List<Record> added = new ArrayList<>();

    DiffingSink(Record[] previous, int expectedSize) {
      this.previous = previous;
      this.records = new ArrayList<>(expectedSize);
    }

    @Override
    public void accept(Record r) {
      records.add(r);
      while (p < previous.length) {
        Record old = previous[p];
        if (old == r) {  // a reused RRSIG
          p++;
          return;
        }
        int c = CanonicalOrder.RECORDS.compare(old, r);
        if (c > 0) {
          break;
        }
        p++;
        if (c == 0 && old.getTTL() == r.getTTL()) {
          return;
        }
        removed.add(old);
        if (c == 0) {
          break;
        }
      }
      added.add(r);
    }

    ZoneDiff diff() {
      while (p < previous.length) {
        removed.add(previous[p++]);
      }
      return new ZoneDiff(removed, added);
    }
  }
}
