package dev.cascade.dnssec.sign;

import dev.cascade.dnssec.keys.CryptoProvider;
import dev.cascade.dnssec.keys.SigningKey;
import dev.cascade.dnssec.zone.CanonicalOrder;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ForkJoinPool;
import java.util.stream.Collectors;
import org.xbill.DNS.DClass;
import org.xbill.DNS.DNSKEYRecord;
import org.xbill.DNS.DNSSEC;
import org.xbill.DNS.NSEC3PARAMRecord;
import org.xbill.DNS.NSEC3Record;
import org.xbill.DNS.NSECRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.RRSIGRecord;
import org.xbill.DNS.RRset;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Type;
import org.xbill.DNS.utils.base32;

/**
 * Signs a complete zone: adds the DNSKEY RRset, the NSEC or NSEC3 chain (plus NSEC3PARAM) and an
 * RRSIG per authoritative RRset and key (RFC 4035 §2).
 *
 * <p>Zone cuts: an NS RRset below the apex is a delegation (RFC 4035 §2.2: only its DS and NSEC RRsets
 * are signed); names below a delegation (glue) or below a DNAME (RFC 6672 §2.3) are occluded: not
 * signed and not part of the NSEC/NSEC3 chain. DNSKEY is signed by the SEP keys (KSK/CSK), every other
 * RRset by the non-SEP keys (ZSK); with only SEP keys (a CSK) or only non-SEP keys, those sign everything.
 * RRSIG generation runs on {@code threads} threads; the output is sorted canonically, so it does not
 * depend on scheduling.
 */
public final class ZoneSigner {
  /** Types the signer generates itself; an unsigned zone must not contain them. */
  private static final Set<Integer> GENERATED = Set.of(Type.RRSIG, Type.NSEC, Type.NSEC3, Type.NSEC3PARAM, Type.DNSKEY);

  private final Clock clock;
  private final int threads;

  /**
   * @param clock the source of "now" for inception and expiration
   * @param threads threads for RRSIG generation, at least 1
   */
  public ZoneSigner(Clock clock, int threads) {
    if (threads < 1) {
      throw new IllegalArgumentException("threads must be at least 1");
    }
    this.clock = clock;
    this.threads = threads;
  }

  /** How a name takes part in the signed zone. */
  private enum Kind {
    /** Authoritative data (the apex included): every RRset signed, in the chain. */
    AUTHORITATIVE,
    /** A delegation point: only DS (and NSEC) signed; in the chain (NSEC3 opt-out: only with DS). */
    DELEGATION,
    /** Below a zone cut or a DNAME: neither signed nor in the chain. */
    OCCLUDED
  }

  /** One RRset to sign with one key. */
  private record Task(RRset rrset, SigningKey key, String provider) {}

  /**
   * Signs the zone.
   *
   * @param origin the apex
   * @param unsigned the zone's records without DNSSEC records (no RRSIG, NSEC, NSEC3, NSEC3PARAM, DNSKEY)
   * @param keys the keys to publish and sign with; all must be owned by {@code origin}
   * @param dnskeyTtl TTL of the DNSKEY RRset
   * @param policy denial mechanism, NSEC3 parameters, signature validity
   * @param signedSerial the serial to put in the SOA
   * @throws IllegalArgumentException for an input that cannot be signed (no SOA, foreign keys, DNSSEC records present)
   * @throws IllegalStateException if a signature cannot be made
   */
  public SignedZone sign(Name origin, List<Record> unsigned, List<SigningKey> keys, long dnskeyTtl,
      SigningPolicy policy, long signedSerial) {
    if (keys.isEmpty()) {
      throw new IllegalArgumentException("no keys to sign " + origin + " with");
    }
    Instant now = clock.instant();
    Instant inception = now.minus(policy.inceptionOffset());
    Instant expiration = now.plus(policy.lifetime());

    TreeMap<Name, TreeMap<Integer, List<Record>>> zone = new TreeMap<>(CanonicalOrder.NAMES);
    SOARecord soa = null;
    for (Record r : unsigned) {
      Name name = r.getName();
      if (!name.subdomain(origin)) {
        throw new IllegalArgumentException(name + " is outside the zone " + origin);
      }
      if (GENERATED.contains(r.getType())) {
        throw new IllegalArgumentException("the unsigned zone already has " + Type.string(r.getType()) + " at " + name);
      }
      if (r instanceof SOARecord s && name.equals(origin)) {
        soa = new SOARecord(name, s.getDClass(), s.getTTL(), s.getHost(), s.getAdmin(), signedSerial, s.getRefresh(),
            s.getRetry(), s.getExpire(), s.getMinimum());
        r = soa;
      }
      add(zone, r);
    }
    if (soa == null) {
      throw new IllegalArgumentException("no SOA at the apex " + origin);
    }
    requireUniformTtls(zone);
    for (SigningKey key : keys) {
      DNSKEYRecord k = key.dnskey();
      if (!k.getName().equals(origin)) {
        throw new IllegalArgumentException("key " + key.keyTag() + " belongs to " + k.getName() + ", not " + origin);
      }
      add(zone, new DNSKEYRecord(origin, DClass.IN, dnskeyTtl, k.getFlags(), k.getProtocol(), k.getAlgorithm(), k.getKey()));
    }
    // RFC 9077 §3: NSEC/NSEC3 TTL = min(SOA MINIMUM, SOA TTL).
    long denialTtl = Math.min(soa.getMinimum(), soa.getTTL());

    Map<Name, Kind> kinds = classify(origin, zone);
    List<Record> denial = new ArrayList<>();
    if (policy.denial() == SigningPolicy.Denial.NSEC) {
      nsecChain(origin, zone, kinds, denialTtl, denial);
    } else {
      nsec3Chain(origin, zone, kinds, policy, denialTtl, denial);
    }

    List<Task> tasks = tasks(zone, kinds, denial, keys);
    List<Record> rrsigs = signAll(tasks, inception, expiration);

    List<Record> out = new ArrayList<>(unsigned.size() + keys.size() + denial.size() + rrsigs.size() + 1);
    zone.values().forEach(types -> types.values().forEach(out::addAll));
    denial.stream().filter(r -> r.getType() == Type.NSEC3).forEach(out::add);
    out.addAll(rrsigs);
    out.sort(CanonicalOrder.RECORDS);
    long denialCount = denial.stream().filter(r -> r.getType() == Type.NSEC || r.getType() == Type.NSEC3).count();
    return new SignedZone(out, new SigningStats(unsigned.size(), denialCount, rrsigs.size(), threads));
  }

  /** RFC 2181 §5.2: an RRset has one TTL, and its RRSIG's original TTL must match it (the loader normalises). */
  private static void requireUniformTtls(TreeMap<Name, TreeMap<Integer, List<Record>>> zone) {
    zone.forEach((name, types) -> types.forEach((type, records) -> {
      if (records.stream().mapToLong(Record::getTTL).distinct().count() > 1) {
        throw new IllegalArgumentException("RRset " + name + "/" + Type.string(type) + " has differing TTLs (RFC 2181 §5.2)");
      }
    }));
  }

  private static void add(TreeMap<Name, TreeMap<Integer, List<Record>>> zone, Record r) {
    zone.computeIfAbsent(r.getName(), n -> new TreeMap<>()).computeIfAbsent(r.getType(), t -> new ArrayList<>()).add(r);
  }

  /**
   * Finds the zone cuts in one pass: canonical order lists every name's descendants right after it,
   * so the most recent cut is the only one a name can be below.
   */
  private static Map<Name, Kind> classify(Name origin, TreeMap<Name, TreeMap<Integer, List<Record>>> zone) {
    Map<Name, Kind> kinds = new TreeMap<>(CanonicalOrder.NAMES);
    Name cut = null;
    for (Map.Entry<Name, TreeMap<Integer, List<Record>>> e : zone.entrySet()) {
      Name name = e.getKey();
      if (cut != null && name.subdomain(cut) && !name.equals(cut)) {
        kinds.put(name, Kind.OCCLUDED);
        continue;
      }
      cut = null;
      Set<Integer> types = e.getValue().keySet();
      if (!name.equals(origin) && types.contains(Type.NS)) {
        kinds.put(name, Kind.DELEGATION);
        cut = name;
      } else {
        kinds.put(name, Kind.AUTHORITATIVE);
        if (types.contains(Type.DNAME)) {
          cut = name;
        }
      }
    }
    return kinds;
  }

  /** The types an NSEC or NSEC3 bitmap lists for a name, RRSIG included where something there is signed. */
  private static Set<Integer> bitmapTypes(Set<Integer> present, Kind kind) {
    Set<Integer> types = new TreeSet<>();
    if (kind == Kind.DELEGATION) {
      // RFC 4035 §2.3: at a delegation only NS and the parent's authoritative data (DS) are listed.
      types.add(Type.NS);
      if (present.contains(Type.DS)) {
        types.add(Type.DS);
        types.add(Type.RRSIG);
      }
    } else {
      types.addAll(present);
      types.add(Type.RRSIG);
    }
    return types;
  }

  /** RFC 4034 §4 / RFC 4035 §2.3: one NSEC per authoritative name and delegation, in canonical order, last to apex. */
  private static void nsecChain(Name origin, TreeMap<Name, TreeMap<Integer, List<Record>>> zone, Map<Name, Kind> kinds,
      long ttl, List<Record> denial) {
    List<Name> chain = kinds.entrySet().stream().filter(e -> e.getValue() != Kind.OCCLUDED).map(Map.Entry::getKey).toList();
    for (int i = 0; i < chain.size(); i++) {
      Name name = chain.get(i);
      Name next = i + 1 < chain.size() ? chain.get(i + 1) : origin;
      Set<Integer> types = bitmapTypes(zone.get(name).keySet(), kinds.get(name));
      types.add(Type.NSEC);
      types.add(Type.RRSIG);  // the NSEC itself is signed, also at an insecure delegation
      NSECRecord nsec = new NSECRecord(name, DClass.IN, ttl, next, toArray(types));
      add(zone, nsec);
      denial.add(nsec);
    }
  }

  /**
   * RFC 5155 §7.1: one NSEC3 per authoritative name, delegation (with opt-out only those with DS) and
   * empty non-terminal on the way to them; ENTs that lead only to opt-out delegations get none.
   */
  private static void nsec3Chain(Name origin, TreeMap<Name, TreeMap<Integer, List<Record>>> zone,
      Map<Name, Kind> kinds, SigningPolicy policy, long ttl, List<Record> denial) {
    byte[] salt = policy.nsec3Salt();
    // NSEC3PARAM flags are 0 (RFC 5155 §4.1.2); its TTL follows the NSEC3 records'.
    NSEC3PARAMRecord param = new NSEC3PARAMRecord(origin, DClass.IN, ttl, NSEC3Record.SHA1_DIGEST_ID, 0,
        policy.nsec3Iterations(), salt);
    add(zone, param);
    denial.add(param);

    Map<Name, Set<Integer>> hashed = new TreeMap<>(CanonicalOrder.NAMES);
    for (Map.Entry<Name, Kind> e : kinds.entrySet()) {
      Name name = e.getKey();
      Kind kind = e.getValue();
      Set<Integer> present = zone.get(name).keySet();
      if (kind == Kind.OCCLUDED || (kind == Kind.DELEGATION && policy.optOut() && !present.contains(Type.DS))) {
        continue;
      }
      hashed.put(name, bitmapTypes(present, kind));
      for (Name up = parent(name); up.subdomain(origin) && !zone.containsKey(up); up = parent(up)) {
        hashed.putIfAbsent(up, Set.of());  // empty non-terminal: empty type bitmap
      }
    }

    record Hashed(byte[] hash, Set<Integer> types) {}
    List<Hashed> chain = new ArrayList<>(hashed.size());
    try {
      for (Map.Entry<Name, Set<Integer>> e : hashed.entrySet()) {
        chain.add(new Hashed(param.hashName(e.getKey()), e.getValue()));
      }
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-1 is mandatory in every Java platform", e);
    }
    chain.sort(Comparator.comparing(Hashed::hash, Arrays::compareUnsigned));
    base32 b32 = new base32(base32.Alphabet.BASE32HEX, false, true);
    int flags = policy.optOut() ? NSEC3Record.Flags.OPT_OUT : 0;
    for (int i = 0; i < chain.size(); i++) {
      Hashed h = chain.get(i);
      byte[] next = chain.get((i + 1) % chain.size()).hash();
      if (Arrays.equals(h.hash(), next) && chain.size() > 1) {
        throw new IllegalStateException("NSEC3 hash collision in " + origin + ": choose another salt (RFC 5155 §7.1)");
      }
      Name owner = Name.fromConstantString(b32.toString(h.hash()) + "." + origin);
      denial.add(new NSEC3Record(owner, DClass.IN, ttl, NSEC3Record.SHA1_DIGEST_ID, flags, policy.nsec3Iterations(),
          salt, next, toArray(h.types())));
    }
  }

  private static Name parent(Name name) {
    return new Name(name, 1);
  }

  private static int[] toArray(Set<Integer> types) {
    return types.stream().mapToInt(Integer::intValue).toArray();
  }

  /** Every (RRset, key) pair to sign (RFC 4035 §2.2). */
  private static List<Task> tasks(TreeMap<Name, TreeMap<Integer, List<Record>>> zone, Map<Name, Kind> kinds,
      List<Record> denial, List<SigningKey> keys) {
    List<SigningKey> sep = keys.stream().filter(SigningKey::isSep).toList();
    List<SigningKey> nonSep = keys.stream().filter(k -> !k.isSep()).toList();
    List<SigningKey> dnskeySigners = sep.isEmpty() ? keys : sep;
    List<SigningKey> otherSigners = nonSep.isEmpty() ? keys : nonSep;
    Map<Integer, String> providers = keys.stream().map(SigningKey::algorithm).distinct()
        .collect(Collectors.toMap(a -> a, CryptoProvider::signingProvider));

    List<Task> tasks = new ArrayList<>();
    for (Map.Entry<Name, TreeMap<Integer, List<Record>>> e : zone.entrySet()) {
      Kind kind = kinds.get(e.getKey());
      for (Map.Entry<Integer, List<Record>> rrset : e.getValue().entrySet()) {
        int type = rrset.getKey();
        boolean signed = switch (kind) {
          case AUTHORITATIVE -> true;
          case DELEGATION -> type == Type.DS || type == Type.NSEC;
          case OCCLUDED -> false;
        };
        if (signed) {
          RRset set = new RRset(rrset.getValue());
          for (SigningKey key : type == Type.DNSKEY ? dnskeySigners : otherSigners) {
            tasks.add(new Task(set, key, providers.get(key.algorithm())));
          }
        }
      }
    }
    for (Record r : denial) {
      if (r.getType() == Type.NSEC3) {
        RRset set = new RRset(r);
        otherSigners.forEach(key -> tasks.add(new Task(set, key, providers.get(key.algorithm()))));
      }
    }
    return tasks;
  }

  private List<Record> signAll(List<Task> tasks, Instant inception, Instant expiration) {
    if (threads == 1) {
      return tasks.stream().map(t -> sign(t, inception, expiration)).collect(Collectors.toList());
    }
    ForkJoinPool pool = new ForkJoinPool(threads);
    try {
      return pool.submit(() -> tasks.parallelStream().map(t -> sign(t, inception, expiration))
          .collect(Collectors.<Record>toList())).get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("signing interrupted", e);
    } catch (ExecutionException e) {
      throw e.getCause() instanceof RuntimeException re ? re : new IllegalStateException(e.getCause());
    } finally {
      pool.shutdown();
    }
  }

  private static RRSIGRecord sign(Task t, Instant inception, Instant expiration) {
    try {
      return DNSSEC.sign(t.rrset(), t.key().dnskey(), t.key().privateKey(), inception, expiration, t.provider());
    } catch (DNSSEC.DNSSECException e) {
      throw new IllegalStateException("cannot sign " + t.rrset().getName() + "/" + Type.string(t.rrset().getType())
          + " with key " + t.key().keyTag() + ": " + e.getMessage(), e);
    }
  }
}
