package dev.cascade.dnssec.parent;

import dev.cascade.dnssec.compact.CompactDiff;
import dev.cascade.dnssec.compact.CompactRecords;
import dev.cascade.dnssec.zone.CanonicalOrder;
import java.util.ArrayList;
import java.util.List;
import org.xbill.DNS.CDNSKEYRecord;
import org.xbill.DNS.CDSRecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.DNSKEYRecord;
import org.xbill.DNS.DSRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

/**
 * The DS RRset a zone's parent is to hold and the CDS and CDNSKEY RRsets that say so in the zone.
 *
 * <p>The key manager builds them from the keys at the parent and the policy, and announces the CDS and CDNSKEY with
 * the key set; the signer puts them at the apex of the unsigned version it signs, as apex data signed by the keys
 * that sign the DNSKEY RRset (RFC 7344 §4.1). A full signing, an incremental one and the signing of a change thus
 * start from the same records, and the gate checks them as any other RRset; the loader strips CDS and CDNSKEY from
 * its input (the reference does the same), so the key set's are the only ones.
 */
public final class ParentRecords {

  /** RFC 8078 §4: the CDS delete form, "0 0 0 00": key tag, algorithm and digest type 0, one digest octet 0. */
  private static final byte[] DELETE_CDS_DIGEST = {0};
  /** RFC 8078 §4: the CDNSKEY delete form, "0 3 0 AA==": flags 0, protocol 3, algorithm 0, a key of one octet 0. */
  private static final byte[] DELETE_CDNSKEY_KEY = {0};

  private ParentRecords() {}

  /**
   * The DS RRset the parent is to hold: one DS per key at the parent (RFC 4034 §5.1), in canonical order; none when
   * the zone asks for its DS to be deleted.
   *
   * @param parentKeys the DNSKEY records of the keys whose DS is to be at the parent
   * @param ttl the TTL to give them (the parent chooses its own; this is what a submission proposes)
   */
  public static List<DSRecord> ds(Name origin, List<DNSKEYRecord> parentKeys, CdsPublication publication,
      DsDigest digest, long ttl) {
    if (publication == CdsPublication.DELETE) {
      return List.of();
    }
    List<DSRecord> ds = new ArrayList<>();
    for (DNSKEYRecord key : parentKeys) {
      ds.add(new DSRecord(origin, DClass.IN, ttl, digest.id(), atApex(origin, key, ttl)));
    }
    ds.sort(CanonicalOrder.RECORDS);
    return List.copyOf(ds);
  }

  /**
   * The CDS and CDNSKEY RRsets the zone publishes (RFC 7344 §3), in canonical order, each with the TTL of the
   * DNSKEY RRset ({@code [key-manager.records] ttl}, which the reference gives all three): one CDS and one CDNSKEY
   * per key at the parent, or the delete forms (RFC 8078 §4), or none.
   *
   * @param parentKeys the keys at the parent that are in the DNSKEY RRset. A key whose DS goes to the parent before
   *     its DNSKEY is published (the first phase of a double-DS KSK roll, RFC 7583 §3.3.2) is left out: a CDNSKEY
   *     must match a DNSKEY of the zone (kzonecheck refuses "CDNSKEY not match DNSKEY", and a parent that checks the
   *     CDS against the child's DNSKEY RRset would refuse the whole set); its DS reaches the parent by the DS
   *     submission ({@link #ds}), which has every key at the parent
   * @param dsChanging whether a roll waits for the parent's DS RRset to change (the only time
   *     {@link CdsPublication#DURING_ROLL} publishes)
   */
  public static List<Record> cdsAndCdnskey(Name origin, List<DNSKEYRecord> parentKeys, boolean dsChanging,
      CdsPublication publication, DsDigest digest, long ttl) {
    List<Record> records = new ArrayList<>();
    switch (publication) {
      case NEVER -> { }
      case DURING_ROLL, ALWAYS -> {
        if (publication == CdsPublication.ALWAYS || dsChanging) {
          for (DNSKEYRecord key : parentKeys) {
            DNSKEYRecord k = atApex(origin, key, ttl);
            records.add(new CDSRecord(origin, DClass.IN, ttl, digest.id(), k));
            records.add(new CDNSKEYRecord(origin, DClass.IN, ttl, k.getFlags(), k.getProtocol(), k.getAlgorithm(),
                k.getKey()));
          }
        }
      }
      case DELETE -> {
        records.add(new CDSRecord(origin, DClass.IN, ttl, 0, 0, 0, DELETE_CDS_DIGEST));
        records.add(new CDNSKEYRecord(origin, DClass.IN, ttl, 0, DNSKEYRecord.Protocol.DNSSEC, 0,
            DELETE_CDNSKEY_KEY));
      }
    }
    records.sort(CanonicalOrder.RECORDS);
    return List.copyOf(records);
  }

  /**
   * The unsigned zone with {@code cdsAndCdnskey} as its apex's CDS and CDNSKEY RRsets, in place of any it had, in
   * canonical order.
   *
   * @param unsigned the unsigned records, in canonical order (the apex's first, RFC 4034 §6.1)
   */
  public static List<Record> withCdsAndCdnskey(Name origin, List<Record> unsigned, List<Record> cdsAndCdnskey) {
    int apexEnd = 0;
    while (apexEnd < unsigned.size() && unsigned.get(apexEnd).getName().equals(origin)) {
      apexEnd++;
    }
    List<Record> apex = new ArrayList<>(cdsAndCdnskey);
    for (Record r : unsigned.subList(0, apexEnd)) {
      if (!isSignal(r.getType())) {
        apex.add(r);
      }
    }
    apex.sort(CanonicalOrder.RECORDS);
    List<Record> records = new ArrayList<>(unsigned.size() + cdsAndCdnskey.size());
    records.addAll(apex);
    records.addAll(unsigned.subList(apexEnd, unsigned.size()));
    return records;
  }

  /**
   * The change from the CDS and CDNSKEY RRsets at the apex of {@code previousSigned} to {@code cdsAndCdnskey}, as a
   * change of the unsigned zone: what the signing of a change adds to the loaded version's change.
   */
  public static CompactDiff change(Name origin, CompactRecords previousSigned, List<Record> cdsAndCdnskey) {
    int apex = previousSigned.find(origin);
    List<Record> before = apex < 0 ? List.of()
        : previousSigned.recordsOf(apex).stream().filter(r -> isSignal(r.getType())).toList();
    return new CompactDiff(CompactRecords.of(before), CompactRecords.of(cdsAndCdnskey));
  }

  private static boolean isSignal(int type) {
    return type == Type.CDS || type == Type.CDNSKEY;
  }

  /** The key as its DNSKEY record at {@code origin} with {@code ttl}: the owner name is part of the DS digest. */
  private static DNSKEYRecord atApex(Name origin, DNSKEYRecord key, long ttl) {
    return new DNSKEYRecord(origin, DClass.IN, ttl, key.getFlags(), key.getProtocol(), key.getAlgorithm(),
        key.getKey());
  }
}
