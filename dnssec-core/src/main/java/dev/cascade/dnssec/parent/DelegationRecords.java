package dev.cascade.dnssec.parent;

import java.util.Base64;
import java.util.List;
import java.util.stream.Collectors;
import org.xbill.DNS.CDSRecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.DNSKEYRecord;
import org.xbill.DNS.DSRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;

/**
 * The records an operator hands to the parent or checks a zone by, in zone-file text, made from public keys alone
 * ({@code cascade keyset <zone> get ds|dnskey|cds}): the DNSKEY RRset, and the DS RRset (RFC 4034 §5) and its child
 * copy CDS (RFC 7344 §3.1) of the keys whose DS is to be at the parent.
 *
 * <p>The digest is the policy's {@code ds-algorithm} ({@link DsDigest}). The TTL given to DS and
 * CDS is the DNSKEY TTL: the DS TTL is the parent's to choose, and the DNSKEY TTL is what {@code dnssec-dsfromkey}
 * and the reference's {@code dnst key2ds} print too.
 */
public final class DelegationRecords {

  /**
   * A public key as a key set announces it.
   *
   * @param flags DNSKEY flags (RFC 4034 §2.1.1): 257 for a KSK or CSK, 256 for a ZSK
   * @param algorithm DNSSEC algorithm number (RFC 4034 §2.1.3)
   * @param publicKey Base64 of the DNSKEY public key field (RFC 4034 §2.1.4)
   */
  public record PublicKey(int flags, int algorithm, String publicKey) {}

  private DelegationRecords() {}

  /** The DNSKEY RRset of {@code keys}, one record a line. */
  public static String dnskeys(Name zone, long ttl, List<PublicKey> keys) {
    return text(keys.stream().map(key -> dnskey(zone, ttl, key)).toList());
  }

  /** The DS RRset of {@code keys}, one record a line. */
  public static String ds(Name zone, long ttl, DsDigest digest, List<PublicKey> keys) {
    return text(keys.stream()
        .map(key -> (Record) new DSRecord(zone, DClass.IN, ttl, digest.id(), dnskey(zone, ttl, key))).toList());
  }

  /** The CDS RRset of {@code keys}: their DS records, as type CDS (RFC 7344 §3.1). */
  public static String cds(Name zone, long ttl, DsDigest digest, List<PublicKey> keys) {
    return text(keys.stream()
        .map(key -> (Record) new CDSRecord(zone, DClass.IN, ttl, digest.id(), dnskey(zone, ttl, key))).toList());
  }

  private static DNSKEYRecord dnskey(Name zone, long ttl, PublicKey key) {
    byte[] bytes;
    try {
      bytes = Base64.getDecoder().decode(key.publicKey());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("the public key of a key with flags " + key.flags() + " and algorithm "
          + key.algorithm() + " is not Base64", e);
    }
    return new DNSKEYRecord(zone, DClass.IN, ttl, key.flags(), DNSKEYRecord.Protocol.DNSSEC, key.algorithm(), bytes);
  }

  private static String text(List<? extends Record> records) {
    return records.stream().map(Record::toString).map(line -> line + "\n").collect(Collectors.joining());
  }
}
