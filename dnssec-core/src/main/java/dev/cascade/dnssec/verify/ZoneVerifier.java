package dev.cascade.dnssec.verify;

import dev.cascade.dnssec.keys.CryptoProvider;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.xbill.DNS.DNSKEYRecord;
import org.xbill.DNS.DNSOutput;
import org.xbill.DNS.DNSSEC;
import org.xbill.DNS.NSEC3PARAMRecord;
import org.xbill.DNS.NSEC3Record;
import org.xbill.DNS.NSECRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.NameTooLongException;
import org.xbill.DNS.RRSIGRecord;
import org.xbill.DNS.RRset;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;
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
 */
public final class ZoneVerifier {
  private static final Set<Integer> NOT_DATA = Set.of(Type.RRSIG, Type.NSEC3);

  /** How a name holding data takes part in the zone. */
  private enum Role {
    /** Authoritative data, the apex included: every RRset signed. */
    AUTHORITATIVE,
    /** A delegation point: only DS and NSEC are authoritative. */
    DELEGATION,
    /** Below a delegation or a DNAME: nothing authoritative. */
    OCCLUDED
  }

  private static final String BC = BouncyCastleProvider.PROVIDER_NAME;
  private static final String ACCP = CryptoProvider.ACCP;
  /** The fastest registered provider; {@link CryptoProvider} registers ACCP where it loads, and Bouncy Castle. */
  private static final String FASTEST = CryptoProvider.signingProvider();

  static {
    if (java.security.Security.getProvider(BC) == null) {
      java.security.Security.addProvider(new BouncyCastleProvider());
    }
  }

  /** Per thread (the checks run in parallel), one verifier per algorithm and key class. */
  private final ThreadLocal<Map<String, Signature>> verifiers = ThreadLocal.withInitial(HashMap::new);

  private final Name origin;
  private final Instant now;
  private final Instant floor;
  private final List<String> problems = new ArrayList<>();
  /** Owner → type → records, RRSIG and NSEC3 excluded. */
  private final Map<Name, Map<Integer, List<Record>>> data = new TreeMap<>();
  /** Owner → covered type → RRSIGs. */
  private final Map<Name, Map<Integer, List<RRSIGRecord>>> rrsigs = new TreeMap<>();
  private final Map<Name, NSEC3Record> nsec3s = new TreeMap<>();
  /** Keys found both in the zone's DNSKEY RRset and in the published key set. */
  private final List<DNSKEYRecord> usableKeys = new ArrayList<>();
  /** The usable keys' public keys, decoded once. */
  private final Map<DNSKEYRecord, PublicKey> publicKeys = new HashMap<>();

  private ZoneVerifier(Name origin, Instant now, Duration expiryFloor) {
    this.origin = origin;
    this.now = now;
    this.floor = now.plus(expiryFloor);
  }

  /**
   * Verifies a signed zone.
   *
   * @param origin the apex
   * @param signed every record of the signed zone
   * @param publishedKeySet the DNSKEYs the key manager published for the zone
   * @param now the time to verify at
   * @param expiryFloor how long every RRSIG must stay valid after {@code now}
   */
  public static VerificationReport verify(Name origin, List<Record> signed, List<DNSKEYRecord> publishedKeySet,
      Instant now, Duration expiryFloor) {
    ZoneVerifier v = new ZoneVerifier(origin, now, expiryFloor);
    v.run(signed, publishedKeySet);
    return new VerificationReport(v.problems);
  }

  private void run(List<Record> signed, List<DNSKEYRecord> published) {
    for (Record r : signed) {
      if (!r.getName().subdomain(origin)) {
        problems.add(r.getName() + "/" + Type.string(r.getType()) + " is outside the zone " + origin);
      } else if (r instanceof RRSIGRecord sig) {
        rrsigs.computeIfAbsent(r.getName(), n -> new HashMap<>())
            .computeIfAbsent(sig.getTypeCovered(), t -> new ArrayList<>()).add(sig);
      } else if (r instanceof NSEC3Record nsec3) {
        if (nsec3s.put(r.getName(), nsec3) != null) {
          problems.add("more than one NSEC3 at " + r.getName());
        }
      } else {
        data.computeIfAbsent(r.getName(), n -> new TreeMap<>()).computeIfAbsent(r.getType(), t -> new ArrayList<>()).add(r);
      }
    }
    Map<Integer, List<Record>> apex = data.getOrDefault(origin, Map.of());
    List<Record> soas = apex.getOrDefault(Type.SOA, List.of());
    if (soas.size() != 1) {
      problems.add("the apex " + origin + " has " + soas.size() + " SOA records, expected exactly 1");
      return;
    }
    SOARecord soa = (SOARecord) soas.get(0);
    checkKeys(apex.getOrDefault(Type.DNSKEY, List.of()), published);

    Map<Name, Role> role = roles();
    checkSignatures(role);
    long denialTtl = Math.min(soa.getMinimum(), soa.getTTL());
    boolean hasNsec = data.values().stream().anyMatch(t -> t.containsKey(Type.NSEC));
    List<Record> params = apex.getOrDefault(Type.NSEC3PARAM, List.of());
    if (!params.isEmpty()) {
      if (hasNsec) {
        problems.add("the zone has both NSEC and NSEC3 records");
      }
      checkNsec3((NSEC3PARAMRecord) params.get(0), params.size(), role, denialTtl);
    } else if (hasNsec) {
      checkNsec(role, denialTtl);
    } else {
      problems.add("the zone has neither an NSEC chain nor an NSEC3PARAM record at the apex");
    }
  }

  private void checkKeys(List<Record> zoneKeys, List<DNSKEYRecord> published) {
    if (zoneKeys.isEmpty()) {
      problems.add("no DNSKEY RRset at the apex " + origin);
    }
    for (Record r : zoneKeys) {
      DNSKEYRecord k = (DNSKEYRecord) r;
      if (published.stream().anyMatch(p -> sameKey(p, k))) {
        usableKeys.add(k);
        try {
          publicKeys.put(k, fastestProviderKey(k.getPublicKey()));
        } catch (DNSSEC.DNSSECException e) {
          problems.add("DNSKEY tag " + k.getFootprint() + " has a malformed public key: " + e.getMessage());
        }
      } else {
        problems.add("DNSKEY tag " + k.getFootprint() + " in the zone is not in the published key set");
      }
    }
    for (DNSKEYRecord p : published) {
      if (zoneKeys.stream().noneMatch(k -> sameKey(p, (DNSKEYRecord) k))) {
        problems.add("published DNSKEY tag " + p.getFootprint() + " is missing from the zone's DNSKEY RRset");
      }
    }
  }

  private static boolean sameKey(DNSKEYRecord a, DNSKEYRecord b) {
    return a.getFlags() == b.getFlags() && a.getAlgorithm() == b.getAlgorithm() && a.getProtocol() == b.getProtocol()
        && Arrays.equals(a.getKey(), b.getKey());
  }

  /**
   * Role of every name holding data (NSEC3 owners excluded). A name
   * is occluded when a proper ancestor inside the zone is a delegation (NS, not the apex) or owns a
   * DNAME (RFC 6672 §2.3); it is a delegation when it has NS and is not the apex.
   */
  private Map<Name, Role> roles() {
    Map<Name, Role> role = new TreeMap<>();
    for (Map.Entry<Name, Map<Integer, List<Record>>> e : data.entrySet()) {
      Name name = e.getKey();
      Role r = name.equals(origin) || !e.getValue().containsKey(Type.NS) ? Role.AUTHORITATIVE : Role.DELEGATION;
      for (Name a = name; !a.equals(origin); ) {
        a = new Name(a, 1);
        Map<Integer, List<Record>> at = data.get(a);
        if (at != null && (at.containsKey(Type.DNAME) || (!a.equals(origin) && at.containsKey(Type.NS)))) {
          r = Role.OCCLUDED;
          break;
        }
      }
      role.put(name, r);
    }
    return role;
  }

  /** One RRset to check, in the order problems are reported. */
  private record RrsetCheck(Name name, int type, List<Record> records, boolean mustSign) {}

  /**
   * Checks every RRset's RRSIGs. The cryptographic checks run in parallel (common fork-join pool);
   * problems are collected per RRset and reported in canonical order, so the report is deterministic.
   */
  private void checkSignatures(Map<Name, Role> role) {
    Set<Integer> algorithms = new TreeSet<>();
    usableKeys.forEach(k -> algorithms.add(k.getAlgorithm()));
    List<RrsetCheck> checks = new ArrayList<>();
    for (Map.Entry<Name, Map<Integer, List<Record>>> e : data.entrySet()) {
      Role r = role.get(e.getKey());
      for (Map.Entry<Integer, List<Record>> t : e.getValue().entrySet()) {
        boolean mustSign = r == Role.AUTHORITATIVE || (r == Role.DELEGATION && (t.getKey() == Type.DS || t.getKey() == Type.NSEC));
        checks.add(new RrsetCheck(e.getKey(), t.getKey(), t.getValue(), mustSign));
      }
    }
    for (NSEC3Record n : nsec3s.values()) {
      checks.add(new RrsetCheck(n.getName(), Type.NSEC3, List.of(n), true));
    }
    checks.parallelStream().map(c -> checkRrset(c, algorithms)).toList().forEach(problems::addAll);
    for (Map.Entry<Name, Map<Integer, List<RRSIGRecord>>> e : rrsigs.entrySet()) {
      for (Map.Entry<Integer, List<RRSIGRecord>> t : e.getValue().entrySet()) {
        boolean covered = t.getKey() == Type.NSEC3 ? nsec3s.containsKey(e.getKey())
            : data.getOrDefault(e.getKey(), Map.of()).containsKey(t.getKey());
        if (!covered) {
          problems.add("RRSIG " + e.getKey() + "/" + Type.string(t.getKey()) + " covers no RRset in the zone");
        }
      }
    }
  }

  private List<String> checkRrset(RrsetCheck c, Set<Integer> algorithms) {
    List<String> found = new ArrayList<>();
    String what = c.name() + "/" + Type.string(c.type());
    List<RRSIGRecord> sigs = rrsigs.getOrDefault(c.name(), Map.of()).getOrDefault(c.type(), List.of());
    if (!c.mustSign()) {
      if (!sigs.isEmpty()) {
        found.add("RRSIG " + what + ": the RRset is not authoritative and must not be signed (RFC 4035 §2.2)");
      }
      return found;
    }
    RRset rrset = new RRset(c.records());
    Set<Integer> validAlgorithms = new TreeSet<>();
    for (RRSIGRecord sig : sigs) {
      if (checkRrsig(what, rrset, sig, found)) {
        validAlgorithms.add(sig.getAlgorithm());
      }
    }
    if (validAlgorithms.isEmpty()) {
      found.add("RRset " + what + " has no valid RRSIG");
      return found;
    }
    for (int alg : algorithms) {
      if (!validAlgorithms.contains(alg)) {
        found.add("RRset " + what + " has no valid RRSIG of algorithm " + alg + " (RFC 4035 §2.2)");
      }
    }
    return found;
  }

  /** One RRSIG: key, validity window, original TTL and the signature itself; problems go to {@code found}. */
  private boolean checkRrsig(String what, RRset rrset, RRSIGRecord sig, List<String> found) {
    String prefix = "RRSIG " + what + " by key tag " + sig.getFootprint();
    List<DNSKEYRecord> candidates = usableKeys.stream()
        .filter(k -> k.getFootprint() == sig.getFootprint() && k.getAlgorithm() == sig.getAlgorithm()).toList();
    if (candidates.isEmpty()) {
      found.add(prefix + ": no such DNSKEY published");
      return false;
    }
    if (!sig.getSigner().equals(origin)) {
      found.add(prefix + ": signer name " + sig.getSigner() + " is not the apex");
      return false;
    }
    if (sig.getTimeSigned().isAfter(now)) {
      found.add(prefix + ": inception " + sig.getTimeSigned() + " is after " + now);
      return false;
    }
    if (sig.getExpire().isBefore(floor)) {
      found.add(prefix + (sig.getExpire().isBefore(now) ? ": expired at " : ": expires at ") + sig.getExpire()
          + ", before " + floor);
      return false;
    }
    if (sig.getOrigTTL() != rrset.getTTL()) {
      found.add(prefix + ": original TTL " + sig.getOrigTTL() + " differs from the RRset's TTL " + rrset.getTTL());
      return false;
    }
    byte[] signedData = signedData(sig, rrset.rrs());
    for (DNSKEYRecord key : candidates) {
      if (signatureValid(publicKeys.get(key), sig, signedData)) {
        return true;
      }
    }
    found.add(prefix + ": signature does not verify");
    return false;
  }

  /**
   * The types whose RDATA names the canonical form lower-cases: RFC 4034 §6.2 item 3 without NSEC (RFC 6840 §5.1).
   * The list is closed (RFC 3597 §7): the names in later types, such as SVCB, HTTPS and IPSECKEY, keep their case.
   */
  private static final Set<Integer> LOWER_CASED_RDATA_NAMES = Set.of(Type.NS, Type.MD, Type.MF, Type.CNAME, Type.SOA,
      Type.MB, Type.MG, Type.MR, Type.PTR, Type.HINFO, Type.MINFO, Type.MX, Type.RP, Type.AFSDB, Type.RT, Type.SIG,
      Type.PX, Type.NXT, Type.NAPTR, Type.KX, Type.SRV, Type.DNAME, Type.A6, Type.RRSIG);

  /**
   * RFC 4034 §3.1.8.1 signed data: the RRSIG RDATA without the signature, then the RRset's records in canonical
   * form (§6.2) and order (§6.3), with the original TTL and, for an RRSIG with fewer labels than its owner, the
   * wildcard owner it was made for (RFC 4035 §5.3.2). Not dnsjava's {@code DNSSEC.digestRRset}: dnsjava's canonical
   * RDATA lower-cases the names in SVCB, HTTPS and IPSECKEY records too, which fails their correct signatures.
   */
  private static byte[] signedData(RRSIGRecord sig, List<Record> records) {
    DNSOutput out = new DNSOutput();
    out.writeU16(sig.getTypeCovered());
    out.writeU8(sig.getAlgorithm());
    out.writeU8(sig.getLabels());
    out.writeU32(sig.getOrigTTL());
    out.writeU32(sig.getExpire().getEpochSecond() & 0xFFFFFFFFL);  // RFC 4034 §3.1.5: seconds modulo 2^32
    out.writeU32(sig.getTimeSigned().getEpochSecond() & 0xFFFFFFFFL);
    out.writeU16(sig.getFootprint());
    out.writeByteArray(sig.getSigner().toWireCanonical());
    Name owner = records.get(0).getName();
    int ownerLabels = owner.labels() - 1;  // without the root label
    if (sig.getLabels() < ownerLabels) {
      owner = new Name(owner, ownerLabels - sig.getLabels());
      try {
        owner = Name.concatenate(Name.fromConstantString("*"), owner);
      } catch (NameTooLongException e) {
        throw new IllegalStateException("a wildcard is never longer than the name it was expanded to", e);
      }
    }
    byte[] ownerWire = owner.toWireCanonical();
    List<byte[]> rdata = new ArrayList<>();
    records.forEach(r -> rdata.add(canonicalRdata(r)));
    rdata.sort(Arrays::compareUnsigned);
    for (byte[] d : rdata) {
      out.writeByteArray(ownerWire);
      out.writeU16(sig.getTypeCovered());
      out.writeU16(records.get(0).getDClass());
      out.writeU32(sig.getOrigTTL());
      out.writeU16(d.length);
      out.writeByteArray(d);
    }
    return out.toByteArray();
  }

  /** A record's RDATA in canonical form: names lower-cased only for {@link #LOWER_CASED_RDATA_NAMES}. */
  private static byte[] canonicalRdata(Record r) {
    if (LOWER_CASED_RDATA_NAMES.contains(r.getType())) {
      return r.rdataToWireCanonical();
    }
    // The record's uncompressed wire form (no Compression table given) ends with its RDATA, names as they are.
    byte[] wire = r.toWire(Section.ANSWER);
    int rdlengthAt = r.getName().length() + 8;  // after owner, type, class and TTL
    int rdlength = ((wire[rdlengthAt] & 0xff) << 8) | (wire[rdlengthAt + 1] & 0xff);
    return Arrays.copyOfRange(wire, wire.length - rdlength, wire.length);
  }

  /**
   * Verifies with the fastest provider that takes the key (Amazon Corretto Crypto Provider where its native
   * library loads: an order of magnitude more verifications per second than Bouncy Castle, which matters for
   * the gate on a large zone), else Bouncy Castle. ECDSA signatures are RFC 6605 §4 r||s, which ACCP's
   * "inP1363Format" and Bouncy Castle's "PLAIN-ECDSA" variants take as they are. One {@link Signature} per
   * algorithm and thread is reused.
   */
  private boolean signatureValid(PublicKey publicKey, RRSIGRecord sig, byte[] signedData) {
    if (publicKey == null) {
      return false;
    }
    try {
      Signature verifier = verifiers.get().computeIfAbsent(sig.getAlgorithm() + "/" + publicKey.getClass().getName(),
          k -> newVerifier(sig.getAlgorithm(), publicKey));
      if (verifier == null) {
        return false;
      }
      verifier.initVerify(publicKey);
      verifier.update(signedData);
      return verifier.verify(sig.getSignature());
    } catch (GeneralSecurityException e) {
      return false;
    }
  }

  /**
   * The public key as the fastest provider's own key object where it has a key factory for it (EC, RSA), so it is
   * decoded once rather than at every verification.
   */
  private static PublicKey fastestProviderKey(PublicKey key) {
    String family = key.getAlgorithm();
    if (!FASTEST.equals(ACCP) || !(family.equals("EC") || family.equals("RSA")) || key.getEncoded() == null) {
      return key;
    }
    try {
      return KeyFactory.getInstance(family, ACCP).generatePublic(new X509EncodedKeySpec(key.getEncoded()));
    } catch (GeneralSecurityException e) {
      return key;
    }
  }

  /** A verifier from the fastest provider that accepts this key, or null for an algorithm Cascade does not know. */
  private static Signature newVerifier(int algorithm, PublicKey probeKey) {
    boolean accp = FASTEST.equals(ACCP);
    String[][] candidates = switch (algorithm) {
      case 8 -> new String[][] {{"SHA256withRSA", FASTEST}, {"SHA256withRSA", BC}};
      case 10 -> new String[][] {{"SHA512withRSA", FASTEST}, {"SHA512withRSA", BC}};
      case 13 -> new String[][] {{accp ? "SHA256withECDSAinP1363Format" : "SHA256withPLAIN-ECDSA", FASTEST},
          {"SHA256withPLAIN-ECDSA", BC}};
      case 14 -> new String[][] {{accp ? "SHA384withECDSAinP1363Format" : "SHA384withPLAIN-ECDSA", FASTEST},
          {"SHA384withPLAIN-ECDSA", BC}};
      case 15 -> new String[][] {{"Ed25519", FASTEST}, {"Ed25519", BC}};
      case 16 -> new String[][] {{"Ed448", BC}};
      default -> new String[0][];
    };
    for (String[] c : candidates) {
      try {
        Signature s = Signature.getInstance(c[0], c[1]);
        s.initVerify(probeKey);
        return s;
      } catch (GeneralSecurityException e) {
        // this provider lacks the algorithm or refuses the key: try the next
      }
    }
    return null;
  }


  /** The names an NSEC chain must hold: authoritative names and delegations, canonical order (RFC 4035 §2.3). */
  private List<Name> chainNames(Map<Name, Role> role) {
    List<Name> names = new ArrayList<>();
    role.forEach((name, r) -> {
      if (r != Role.OCCLUDED) {
        names.add(name);
      }
    });
    return names;
  }

  private Set<Integer> expectedTypes(Name name, Role role) {
    Set<Integer> types = new TreeSet<>();
    Set<Integer> present = data.get(name).keySet();
    if (role == Role.DELEGATION) {
      types.add(Type.NS);
      if (present.contains(Type.DS)) {
        types.add(Type.DS);
      }
    } else {
      for (int t : present) {
        if (!NOT_DATA.contains(t)) {
          types.add(t);
        }
      }
    }
    return types;
  }

  private void checkNsec(Map<Name, Role> role, long ttl) {
    List<Name> chain = chainNames(role);
    for (int i = 0; i < chain.size(); i++) {
      Name name = chain.get(i);
      Name next = i + 1 < chain.size() ? chain.get(i + 1) : origin;
      List<Record> nsecs = data.get(name).get(Type.NSEC);
      if (nsecs == null) {
        problems.add("no NSEC at " + name);
        continue;
      }
      if (nsecs.size() > 1) {
        problems.add("more than one NSEC at " + name);
      }
      NSECRecord nsec = (NSECRecord) nsecs.get(0);
      if (!nsec.getNext().equals(next)) {
        problems.add("NSEC at " + name + " points to " + nsec.getNext() + ", expected the next name " + next);
      }
      Set<Integer> expected = expectedTypes(name, role.get(name));
      expected.add(Type.NSEC);
      expected.add(Type.RRSIG);  // the NSEC is signed everywhere, at delegations too
      Set<Integer> listed = typeSet(nsec.getTypes());
      if (!listed.equals(expected)) {
        problems.add("NSEC at " + name + " lists " + typeNames(listed) + ", expected " + typeNames(expected));
      }
      if (nsec.getTTL() != ttl) {
        problems.add("NSEC at " + name + " has TTL " + nsec.getTTL() + ", expected " + ttl + " (RFC 9077 §3)");
      }
    }
    role.forEach((name, r) -> {
      if (r == Role.OCCLUDED && data.get(name).containsKey(Type.NSEC)) {
        problems.add("NSEC at " + name + ", a name below a zone cut or DNAME");
      }
    });
  }

  private void checkNsec3(NSEC3PARAMRecord param, int paramCount, Map<Name, Role> role, long ttl) {
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
    // Names that need an NSEC3 ("required") and those that may lack one under opt-out ("optional").
    Map<Name, Boolean> required = new TreeMap<>();
    for (Name name : chainNames(role)) {
      boolean insecureDelegation = role.get(name) == Role.DELEGATION && !data.get(name).containsKey(Type.DS);
      required.merge(name, !insecureDelegation, Boolean::logicalOr);
      for (Name a = name; !a.equals(origin); ) {
        a = new Name(a, 1);
        if (!data.containsKey(a)) {
          required.merge(a, !insecureDelegation, Boolean::logicalOr);
        }
      }
    }
    base32 b32 = new base32(base32.Alphabet.BASE32HEX, false, false);
    TreeMap<String, NSEC3Record> byHash = new TreeMap<>();
    for (NSEC3Record n : nsec3s.values()) {
      String label = n.getName().getLabelString(0).toUpperCase();
      byte[] hash = n.getName().labels() == origin.labels() + 1 && new Name(n.getName(), 1).equals(origin)
          ? b32.fromString(label) : null;
      if (hash == null || hash.length != 20) {
        problems.add("NSEC3 at " + n.getName() + ": owner is not a base32hex SHA-1 hash directly below the apex");
        continue;
      }
      byHash.put(HexFormat.of().formatHex(hash), n);
      if (n.getHashAlgorithm() != param.getHashAlgorithm() || n.getIterations() != param.getIterations()
          || !Arrays.equals(n.getSalt(), param.getSalt())) {
        problems.add("NSEC3 at " + n.getName() + " has parameters that differ from the NSEC3PARAM");
      }
      if (n.getTTL() != ttl) {
        problems.add("NSEC3 at " + n.getName() + " has TTL " + n.getTTL() + ", expected " + ttl + " (RFC 9077 §3)");
      }
    }
    List<String> hashes = new ArrayList<>(byHash.keySet());
    for (int i = 0; i < hashes.size(); i++) {
      NSEC3Record n = byHash.get(hashes.get(i));
      String next = hashes.get((i + 1) % hashes.size());
      if (!HexFormat.of().formatHex(n.getNext()).equals(next)) {
        problems.add("NSEC3 at " + n.getName() + " points to " + b32.toString(n.getNext()).toLowerCase()
            + ", expected the next hash " + b32.toString(HexFormat.of().parseHex(next)).toLowerCase());
      }
    }
    Set<String> matched = new TreeSet<>();
    for (Map.Entry<Name, Boolean> e : required.entrySet()) {
      Name name = e.getKey();
      String hash = HexFormat.of().formatHex(hash(name, param.getSalt(), param.getIterations()));
      NSEC3Record n = byHash.get(hash);
      boolean ent = !data.containsKey(name);
      if (n == null) {
        if (e.getValue() || !coveredByOptOut(byHash, hash)) {
          problems.add("no NSEC3 for " + (ent ? "empty non-terminal " : "") + name + " (hash "
              + b32.toString(HexFormat.of().parseHex(hash)).toLowerCase() + ")");
        }
        continue;
      }
      matched.add(hash);
      Set<Integer> expected = ent ? new TreeSet<>() : expectedTypes(name, role.get(name));
      if (!ent && (role.get(name) == Role.AUTHORITATIVE || expected.contains(Type.DS))) {
        expected.add(Type.RRSIG);
      }
      Set<Integer> listed = typeSet(n.getTypes());
      if (!listed.equals(expected)) {
        problems.add("NSEC3 for " + name + " lists " + typeNames(listed) + ", expected " + typeNames(expected));
      }
    }
    byHash.forEach((hash, n) -> {
      if (!matched.contains(hash)) {
        problems.add("NSEC3 at " + n.getName() + " matches no authoritative name or empty non-terminal");
      }
    });
  }

  /** RFC 5155 §6: a missing name is acceptable only if the NSEC3 covering its hash has the Opt-Out flag. */
  private static boolean coveredByOptOut(TreeMap<String, NSEC3Record> byHash, String hash) {
    Map.Entry<String, NSEC3Record> before = byHash.lowerEntry(hash);
    if (before == null) {
      before = byHash.lastEntry();  // the last NSEC3 wraps around and covers hashes below the first
    }
    return before != null && (before.getValue().getFlags() & NSEC3Record.Flags.OPT_OUT) != 0;
  }

  /** RFC 5155 §5: IH(salt, x, 0) = H(x || salt), IH(salt, x, k) = H(IH(salt, x, k-1) || salt), x in canonical wire form. */
  static byte[] hash(Name name, byte[] salt, int iterations) {
    try {
      MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
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
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("SHA-1 is mandatory in every Java platform", e);
    }
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
