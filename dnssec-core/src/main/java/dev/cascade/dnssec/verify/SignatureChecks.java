package dev.cascade.dnssec.verify;

import dev.cascade.dnssec.keys.CryptoProvider;
import dev.cascade.dnssec.keys.KeyUse;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.xbill.DNS.DNSKEYRecord;
import org.xbill.DNS.DNSOutput;
import org.xbill.DNS.DNSSEC;
import org.xbill.DNS.Name;
import org.xbill.DNS.NameTooLongException;
import org.xbill.DNS.RRSIGRecord;
import org.xbill.DNS.RRset;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * The gate's per-RRset checks (RFC 4035 §2.2, RFC 4034 §3.1.8.1): which keys of the zone's DNSKEY RRset are
 * published, and whether an RRset's RRSIGs are by such a key, or by a key of the key set that signs without being
 * published, inside their validity window and cryptographically valid; and, for the keys the key set gives a use,
 * whether exactly the keys that sign the RRset's kind have signed it. Shared by the whole-zone gate
 * ({@link ZoneVerifier}) and the gate for a change ({@link ChangeVerifier}), so that the two cannot disagree on what
 * a valid signature is. Thread-safe once {@link #checkKeys} has run.
 */
final class SignatureChecks {
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
  /**
   * Keys found both in the zone's DNSKEY RRset and in the published key set; by identity, as the set is asked once
   * per valid RRSIG and {@link Record#equals} encodes the RDATA at every call.
   */
  private final Set<DNSKEYRecord> usableKeys = Collections.newSetFromMap(new IdentityHashMap<>());
  /**
   * The keys RRSIGs may be made by: the usable keys, then the keys of the key set that sign without being in the
   * DNSKEY RRset, as the new algorithm's keys do in the first phase of a conservative algorithm roll (RFC 6781
   * §4.1.4). Validators accept such a signature and ignore it (RFC 6840 §5.11); what they need is one valid RRSIG
   * per algorithm of the DNSKEY RRset by a key in it (RFC 4035 §2.2), which only the usable keys count for.
   */
  private final List<DNSKEYRecord> signingKeys = new ArrayList<>();
  /** The uses of the signing keys that the key set gives one, by identity; the other keys may sign any RRset. */
  private final Map<DNSKEYRecord, KeyUse> uses = new IdentityHashMap<>();
  /** The signing keys with a use that sign the DNSKEY, CDS and CDNSKEY RRsets: each must sign them. */
  private final List<DNSKEYRecord> keySigners = new ArrayList<>();
  /** The signing keys with a use that sign every other RRset: each must sign them. */
  private final List<DNSKEYRecord> zoneSigners = new ArrayList<>();
  /**
   * The usable keys' public keys, decoded once; by identity, as {@link Record#hashCode} encodes the RDATA at every
   * call and the map is read once per RRSIG.
   */
  private final Map<DNSKEYRecord, PublicKey> publicKeys = new IdentityHashMap<>();
  /** The usable keys' RDATA in wire form, part of what a remembered signature check covers. */
  private final Map<DNSKEYRecord, byte[]> keyRdata = new IdentityHashMap<>();
  /** Signatures an earlier run found valid; their public-key operation is not repeated. */
  private final VerifiedSignatures known;

  /**
   * @param floor the earliest expiration a signature may have: the gate's {@code now + expiryFloor}
   * @param known signatures an earlier run found valid, or {@link VerifiedSignatures#none()}
   */
  SignatureChecks(Name origin, Instant now, Instant floor, VerifiedSignatures known) {
    this.origin = origin;
    this.now = now;
    this.floor = floor;
    this.known = known;
  }

  /** The algorithms of the usable keys: each authoritative RRset needs a valid RRSIG of every one (RFC 4035 §2.2). */
  Set<Integer> algorithms() {
    Set<Integer> algorithms = new TreeSet<>();
    usableKeys.forEach(k -> algorithms.add(k.getAlgorithm()));
    return algorithms;
  }

  /**
   * Compares the zone's DNSKEY RRset with the published keys of the key set and keeps the keys in both, and the
   * key set's keys that sign without being published, as the ones signatures may be made by. Runs once, before any
   * RRset is checked.
   *
   * @param problems where each key in only one of the two sets is reported
   */
  void checkKeys(List<Record> zoneKeys, ExpectedKeys expected, List<String> problems) {
    if (zoneKeys.isEmpty()) {
      problems.add("no DNSKEY RRset at the apex " + origin);
    }
    List<DNSKEYRecord> published = expected.published();
    for (Record r : zoneKeys) {
      DNSKEYRecord k = (DNSKEYRecord) r;
      ExpectedKeys.Key match = expected.keys().stream().filter(e -> e.published() && sameKey(e.dnskey(), k))
          .findFirst().orElse(null);
      if (match != null) {
        usableKeys.add(k);
        addSigningKey(k, match.use(), problems);
      } else {
        problems.add("DNSKEY tag " + k.getFootprint() + " in the zone is not in the published key set");
      }
    }
    for (DNSKEYRecord p : published) {
      if (zoneKeys.stream().noneMatch(k -> sameKey(p, (DNSKEYRecord) k))) {
        problems.add("published DNSKEY tag " + p.getFootprint() + " is missing from the zone's DNSKEY RRset");
      }
    }
    for (ExpectedKeys.Key e : expected.keys()) {
      if (!e.published() && (e.use().signsKeys() || e.use().signsZone())) {
        addSigningKey(e.dnskey(), e.use(), problems);
      }
    }
  }

  private void addSigningKey(DNSKEYRecord k, KeyUse use, List<String> problems) {
    try {
      publicKeys.put(k, fastestProviderKey(k.getPublicKey()));
      keyRdata.put(k, k.rdataToWireCanonical());
    } catch (DNSSEC.DNSSECException e) {
      problems.add("DNSKEY tag " + k.getFootprint() + " has a malformed public key: " + e.getMessage());
    }
    signingKeys.add(k);
    if (use != null) {
      uses.put(k, use);
      if (use.signsKeys()) {
        keySigners.add(k);
      }
      if (use.signsZone()) {
        zoneSigners.add(k);
      }
    }
  }

  /**
   * Whether RRsets of {@code type} are signed by the keys that sign keys: the DNSKEY RRset, and CDS and CDNSKEY,
   * which must be signed by a key the parent's DS refers to (RFC 7344 §4.1).
   */
  private static boolean keySigned(int type) {
    return type == Type.DNSKEY || type == Type.CDS || type == Type.CDNSKEY;
  }

  private static boolean sameKey(DNSKEYRecord a, DNSKEYRecord b) {
    return a.getFlags() == b.getFlags() && a.getAlgorithm() == b.getAlgorithm() && a.getProtocol() == b.getProtocol()
        && Arrays.equals(a.getKey(), b.getKey());
  }

  /** One RRset to check, in the order problems are reported. */
  record RrsetCheck(Name name, int type, List<Record> records, List<RRSIGRecord> rrsigs, boolean mustSign) {}

  /** What checking one RRset found: its problems, and the digests of its valid signatures as (high, low) pairs. */
  record Checked(List<String> problems, long[] valid) {}

  static final long[] NO_DIGESTS = new long[0];

  Checked checkRrset(RrsetCheck c, Set<Integer> algorithms) {
    List<String> found = new ArrayList<>();
    List<RRSIGRecord> sigs = c.rrsigs();
    if (!c.mustSign()) {
      if (!sigs.isEmpty()) {
        found.add("RRSIG " + c.name() + "/" + Type.string(c.type())
            + ": the RRset is not authoritative and must not be signed (RFC 4035 §2.2)");
      }
      return new Checked(found, NO_DIGESTS);
    }
    Supplier<String> what = () -> c.name() + "/" + Type.string(c.type());
    RRset rrset = new RRset(c.records());
    Set<Integer> validAlgorithms = new TreeSet<>();
    List<DNSKEYRecord> validBy = new ArrayList<>(sigs.size());
    long[] valid = new long[2 * sigs.size()];
    for (RRSIGRecord sig : sigs) {
      Valid v = checkRrsig(what, rrset, sig, found);
      if (v != null) {
        if (usableKeys.contains(v.key())) {
          validAlgorithms.add(sig.getAlgorithm());
        }
        valid[2 * validBy.size()] = v.digest()[0];
        valid[2 * validBy.size() + 1] = v.digest()[1];
        validBy.add(v.key());
      }
    }
    valid = Arrays.copyOf(valid, 2 * validBy.size());
    if (validBy.isEmpty()) {
      found.add("RRset " + what.get() + " has no valid RRSIG");
      return new Checked(found, valid);
    }
    for (int alg : algorithms) {
      if (!validAlgorithms.contains(alg)) {
        found.add("RRset " + what.get() + " has no valid RRSIG of algorithm " + alg + " (RFC 4035 §2.2)");
      }
    }
    if (!uses.isEmpty()) {
      checkSigners(c.type(), what, validBy, found);
    }
    return new Checked(found, valid);
  }

  /**
   * The key set's uses against an RRset's valid signatures, made by {@code validBy}: every key that signs the
   * RRset's kind has signed it, no key that does not has; and the DNSKEY RRset is signed by a key in it that signs
   * keys, the only signature a validator coming from the parent's DS can authenticate it with (RFC 4035 §5.2).
   */
  private void checkSigners(int type, Supplier<String> what, List<DNSKEYRecord> validBy, List<String> found) {
    boolean byKeySigners = keySigned(type);
    for (DNSKEYRecord k : byKeySigners ? keySigners : zoneSigners) {
      if (validBy.stream().noneMatch(v -> v == k)) {
        found.add("RRset " + what.get() + " has no valid RRSIG by key tag " + k.getFootprint()
            + ", which the key set says signs it");
      }
    }
    for (DNSKEYRecord k : validBy) {
      KeyUse use = uses.get(k);
      if (use != null && !(byKeySigners ? use.signsKeys() : use.signsZone())) {
        found.add("RRSIG " + what.get() + " by key tag " + k.getFootprint()
            + ": the key set says the key does not sign it");
      }
    }
    if (type == Type.DNSKEY
        && validBy.stream().noneMatch(k -> usableKeys.contains(k) && uses.containsKey(k) && uses.get(k).signsKeys())) {
      found.add("RRset " + what.get() + " has no valid RRSIG by a key in it that signs keys (RFC 4035 §5.2)");
    }
  }

  /** A valid RRSIG: the key it verified with, and the digest of the check (key, signed data, signature). */
  private record Valid(DNSKEYRecord key, long[] digest) {}

  /**
   * One RRSIG: key, validity window, original TTL and the signature itself; problems go to {@code found}. Returns the
   * key it verified with and the digest of the valid check, or null if the RRSIG is not valid.
   */
  private Valid checkRrsig(Supplier<String> what, RRset rrset, RRSIGRecord sig, List<String> found) {
    // the message prefix is built only for a problem: names print slowly, and a large zone has no problems
    Supplier<String> prefix = () -> "RRSIG " + what.get() + " by key tag " + sig.getFootprint();
    List<DNSKEYRecord> candidates = new ArrayList<>(1);
    for (DNSKEYRecord k : signingKeys) {
      if (k.getFootprint() == sig.getFootprint() && k.getAlgorithm() == sig.getAlgorithm()) {
        candidates.add(k);
      }
    }
    if (candidates.isEmpty()) {
      found.add(prefix.get() + ": no such DNSKEY published");
      return null;
    }
    if (!sig.getSigner().equals(origin)) {
      found.add(prefix.get() + ": signer name " + sig.getSigner() + " is not the apex");
      return null;
    }
    if (sig.getTimeSigned().isAfter(now)) {
      found.add(prefix.get() + ": inception " + sig.getTimeSigned() + " is after " + now);
      return null;
    }
    if (sig.getExpire().isBefore(floor)) {
      found.add(prefix.get() + (sig.getExpire().isBefore(now) ? ": expired at " : ": expires at ") + sig.getExpire()
          + ", before " + floor);
      return null;
    }
    if (sig.getOrigTTL() != rrset.getTTL()) {
      found.add(prefix.get() + ": original TTL " + sig.getOrigTTL() + " differs from the RRset's TTL "
          + rrset.getTTL());
      return null;
    }
    byte[] signedData = signedData(sig, rrset.rrs());
    for (DNSKEYRecord key : candidates) {
      long[] digest = VerifiedSignatures.digest(keyRdata.get(key), signedData, sig.getSignature());
      if (known.contains(digest[0], digest[1]) || signatureValid(publicKeys.get(key), sig, signedData)) {
        return new Valid(key, digest);
      }
    }
    found.add(prefix.get() + ": signature does not verify");
    return null;
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
}
