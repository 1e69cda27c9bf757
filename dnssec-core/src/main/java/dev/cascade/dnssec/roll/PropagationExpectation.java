package dev.cascade.dnssec.roll;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.xbill.DNS.DNSKEYRecord;
import org.xbill.DNS.DSRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.RRSIGRecord;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Serial;
import org.xbill.DNS.Type;

/**
 * What the name servers must serve once a roll's current phase has propagated, worked out from the key set as the
 * phase left it, and the comparison of what a server answered against it: the reference's {@code auto-report}
 * checks (cascade-reference.md §5, "Timing model"), without the network, which the key manager brings.
 *
 * <ul>
 *   <li>{@link Propagation#DNSKEY}: the apex DNSKEY RRset is exactly the published keys, signed by exactly the keys
 *       that sign keys (RFC 4035 §2.2); its TTL is TTLkey (RFC 7583 §3.2.1).
 *   <li>{@link Propagation#RRSIG}: in a transfer of the whole zone, every RRSIG over an RRset other than DNSKEY, CDS
 *       and CDNSKEY is made by a key that signs the zone, and each such key made some; the TTL is the largest in the
 *       zone (TTLsig, RFC 7583 §3.2.1), and every name server must then serve the transfer's serial or a later one
 *       (RFC 1982).
 *   <li>{@link Propagation#DS}: the parent's DS RRset is exactly the DS of the keys that are at the parent, with the
 *       policy's digest type ({@code ds-algorithm}, SHA-256 by default as in the reference, RFC 4509); its TTL is
 *       TTLds (RFC 7583 §3.3.2).
 * </ul>
 *
 * @param zone the zone's apex
 * @param propagates what the phase must propagate
 * @param dnskeys the DNSKEY RRset the zone must serve, ordered by key tag
 * @param keySigners key tags of the keys that must sign the DNSKEY RRset
 * @param zoneSigners key tags of the keys that must sign every other RRset
 * @param ds the DS RRset the parent must serve
 */
public record PropagationExpectation(
    Name zone,
    Set<Propagation> propagates,
    List<DNSKEYRecord> dnskeys,
    Set<Integer> keySigners,
    Set<Integer> zoneSigners,
    List<DSRecord> ds) {

  public PropagationExpectation {
    Objects.requireNonNull(zone, "zone");
    propagates = Set.copyOf(propagates);
    dnskeys = List.copyOf(dnskeys);
    keySigners = Set.copyOf(new TreeSet<>(keySigners));
    zoneSigners = Set.copyOf(new TreeSet<>(zoneSigners));
    ds = List.copyOf(ds);
  }

  /**
   * The expectation of {@code roll}'s current phase in {@code state}.
   *
   * @param dnskeys the DNSKEY record of every key of {@code state}, by {@link KeyState#id()}
   * @param dsDigest the DS digest type (RFC 4034 §5.1.3; dnssec-core {@code DsDigest#id})
   * @throws IllegalArgumentException if a key of the state has no DNSKEY record, or one with another key tag
   */
  public static PropagationExpectation of(
      Name zone, KeySetState state, KeyRoll roll, Map<String, DNSKEYRecord> dnskeys, int dsDigest) {
    for (KeyState key : state.keys()) {
      DNSKEYRecord dnskey = dnskeys.get(key.id());
      if (dnskey == null || dnskey.getFootprint() != key.keyTag()) {
        throw new IllegalArgumentException("no DNSKEY record with key tag " + key.keyTag() + " for key " + key.id());
      }
    }
    List<DNSKEYRecord> published = state.dnskeys().stream().map(key -> dnskeys.get(key.id())).toList();
    List<DSRecord> ds = state.parentKeys().stream()
        .map(key -> new DSRecord(zone, dnskeys.get(key.id()).getDClass(), 0, dsDigest, dnskeys.get(key.id())))
        .toList();
    return new PropagationExpectation(zone, roll.propagates(), published, tags(state.keySigners()),
        tags(state.zoneSigners()), ds);
  }

  /**
   * Why a server's answer to {@code <zone> DNSKEY} (with DO: the DNSKEY records and their RRSIGs) is not the
   * expected DNSKEY RRset, or empty if it is.
   */
  public Optional<String> dnskeyMismatch(List<Record> answer) {
    Set<String> served = answer.stream().filter(r -> r.getType() == Type.DNSKEY && r.getName().equals(zone))
        .map(PropagationExpectation::rdata).collect(Collectors.toCollection(TreeSet::new));
    Set<String> expected = dnskeys.stream().map(PropagationExpectation::rdata)
        .collect(Collectors.toCollection(TreeSet::new));
    if (!served.equals(expected)) {
      return Optional.of("DNSKEY RRset with key tags " + dnskeyTags(answer) + ", expected "
          + dnskeyTags(new ArrayList<>(dnskeys)));
    }
    Set<Integer> signers = answer.stream()
        .filter(r -> r instanceof RRSIGRecord sig && sig.getTypeCovered() == Type.DNSKEY && r.getName().equals(zone))
        .map(r -> ((RRSIGRecord) r).getFootprint()).collect(Collectors.toCollection(TreeSet::new));
    if (!signers.equals(new TreeSet<>(keySigners))) {
      return Optional.of("DNSKEY RRset signed by key tags " + signers + ", expected " + new TreeSet<>(keySigners));
    }
    return Optional.empty();
  }

  /**
   * Why a parent server's answer to {@code <zone> DS} is not the expected DS RRset, or empty if it is. The RRset
   * as RFC 2181 §5 sees it: the records' data, whatever their TTLs.
   */
  public Optional<String> dsMismatch(List<Record> answer) {
    Set<String> served = answer.stream().filter(r -> r.getType() == Type.DS && r.getName().equals(zone))
        .map(PropagationExpectation::rdata).collect(Collectors.toCollection(TreeSet::new));
    Set<String> expected = ds.stream().map(PropagationExpectation::rdata)
        .collect(Collectors.toCollection(TreeSet::new));
    if (served.equals(expected)) {
      return Optional.empty();
    }
    return Optional.of(served.isEmpty() ? "no DS RRset, expected " + dsText(ds) : "DS RRset " + dsText(answer)
        + ", expected " + dsText(ds));
  }

  /**
   * What must have propagated, one line each, as {@code zone status} lists it under the reference's "Check that the
   * following RRset has propagated to all name servers:": the DNSKEY and DS records in presentation format without
   * TTL (RFC 4034 §2.2, §5.3), and for the signatures, the key tags that sign the zone.
   */
  public List<String> lines() {
    List<String> lines = new ArrayList<>();
    if (propagates.contains(Propagation.DNSKEY)) {
      dnskeys.forEach(r -> lines.add(zone + " IN DNSKEY " + r.rdataToString() + " ; key tag " + r.getFootprint()));
    }
    if (propagates.contains(Propagation.RRSIG)) {
      lines.add(zone + " RRSIGs of every RRset but DNSKEY, CDS and CDNSKEY by key tags " + new TreeSet<>(zoneSigners)
          + " only");
    }
    if (propagates.contains(Propagation.DS)) {
      ds.forEach(r -> lines.add(zone + " IN DS " + r.rdataToString()));
    }
    return lines;
  }

  /** The largest TTL of {@code type} RRsets named {@code zone} in {@code answer}; zero if there is none. */
  public Duration ttl(List<Record> answer, int type) {
    return Duration.ofSeconds(answer.stream().filter(r -> r.getType() == type && r.getName().equals(zone))
        .mapToLong(Record::getTTL).max().orElse(0));
  }

  /** A fresh tally of a zone transfer's signatures, for {@link Propagation#RRSIG}. */
  public ZoneSignatures zoneSignatures() {
    return new ZoneSignatures(zoneSigners);
  }

  /**
   * The signatures of a whole zone as a transfer streams it, one record at a time: only counts are kept, so a zone
   * of millions of records costs no memory.
   */
  public static final class ZoneSignatures {
    private final Set<Integer> signers;
    private final Map<Integer, Long> byTag = new TreeMap<>();
    private long maxTtl;
    private Long serial;

    private ZoneSignatures(Set<Integer> signers) {
      this.signers = signers;
    }

    /** Takes one record of the transfer. */
    public void accept(Record record) {
      maxTtl = Math.max(maxTtl, record.getTTL());
      if (record instanceof SOARecord soa && serial == null) {
        serial = soa.getSerial();
      }
      if (record instanceof RRSIGRecord sig && !signedByKeySigners(sig.getTypeCovered())) {
        byTag.merge(sig.getFootprint(), 1L, Long::sum);
      }
    }

    /** The largest TTL in the zone: how long a cache may keep an RRset with its old signatures. */
    public Duration maxTtl() {
      return Duration.ofSeconds(maxTtl);
    }

    /** The serial of the transfer's SOA. */
    public Optional<Long> serial() {
      return Optional.ofNullable(serial);
    }

    /** Why the transferred zone is not signed as expected, or empty if it is. */
    public Optional<String> mismatch() {
      if (serial == null) {
        return Optional.of("the zone transfer had no SOA record");
      }
      Set<Integer> unexpected = new TreeSet<>(byTag.keySet());
      unexpected.removeAll(signers);
      if (!unexpected.isEmpty()) {
        return Optional.of("the zone (serial " + serial + ") still has signatures by key tags " + unexpected
            + " " + counts(unexpected) + ", expected only " + new TreeSet<>(signers));
      }
      Set<Integer> missing = new TreeSet<>(signers);
      missing.removeAll(byTag.keySet());
      if (!missing.isEmpty()) {
        return Optional.of("the zone (serial " + serial + ") has no signatures by key tags " + missing);
      }
      return Optional.empty();
    }

    private String counts(Set<Integer> tags) {
      return tags.stream().map(tag -> byTag.get(tag) + " by " + tag).collect(Collectors.joining(", ", "(", ")"));
    }
  }

  /**
   * Why a server's SOA serial is behind the serial whose signatures were checked, or empty if it is that serial or
   * a later one (RFC 1982 serial number arithmetic).
   */
  public static Optional<String> serialMismatch(long checked, long served) {
    return Serial.compare(served, checked) >= 0 ? Optional.empty()
        : Optional.of("serves serial " + served + ", older than the checked " + checked);
  }

  private static boolean signedByKeySigners(int type) {
    return type == Type.DNSKEY || type == Type.CDS || type == Type.CDNSKEY;
  }

  private static Set<Integer> tags(List<KeyState> keys) {
    return keys.stream().map(KeyState::keyTag).collect(Collectors.toSet());
  }

  private static Set<Integer> dnskeyTags(List<? extends Record> records) {
    return records.stream().filter(r -> r instanceof DNSKEYRecord).map(r -> ((DNSKEYRecord) r).getFootprint())
        .collect(Collectors.toCollection(TreeSet::new));
  }

  private static String dsText(List<? extends Record> records) {
    return records.stream().filter(r -> r instanceof DSRecord).map(r -> (DSRecord) r)
        .map(ds -> ds.getFootprint() + " " + ds.getAlgorithm() + " " + ds.getDigestID() + " "
            + HexFormat.of().withUpperCase().formatHex(ds.getDigest()))
        .sorted().collect(Collectors.joining(", ", "[", "]"));
  }

  /** The record's data in wire form, hex: equal data, equal text, whatever the TTL and the case of the owner. */
  private static String rdata(Record record) {
    return record.getType() + ":" + HexFormat.of().formatHex(record.rdataToWireCanonical());
  }
}
