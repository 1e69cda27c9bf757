package dev.cascade.dnssec.sign;

import dev.cascade.dnssec.keys.SigningKey;
import dev.cascade.dnssec.zone.CanonicalOrder;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import org.xbill.DNS.DNSKEYRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.RRSIGRecord;
import org.xbill.DNS.Record;

/**
 * The previous signed version of a zone, as an incremental signing looks things up in it: the records in canonical
 * order (RFC 4034 §6) cut into owner names, searched by binary search (no maps, so a large zone costs one array).
 * Read-only once built, so the signing threads share it.
 */
final class PreviousVersion {
  private final Name origin;
  /** The previous signed zone in canonical order. */
  final Record[] records;
  /** Index in {@link #records} where each owner name's records start, then {@code records.length}. */
  private final int[] ownerStarts;
  /**
   * Per key of the run: whether the previous DNSKEY RRset had exactly this DNSKEY (same flags, so same role) and no
   * other key with its key tag and algorithm, so the previous RRSIGs with that tag are this key's (key tags are not
   * unique, RFC 4034 Appendix B).
   */
  private final boolean[] keyKnown;
  private final int[] keyTags;
  private final int[] keyAlgorithms;
  private final SigningPolicy policy;
  private final Instant now;

  PreviousVersion(Name origin, List<Record> previousSigned, List<SigningKey> keys, SigningPolicy policy, Instant now) {
    this.origin = origin;
    this.policy = policy;
    this.now = now;
    Record[] sorted = previousSigned.toArray(new Record[0]);
    if (!ZoneSigner.isCanonical(sorted)) {
      Arrays.parallelSort(sorted, CanonicalOrder.RECORDS);
    }
    records = sorted;
    int[] starts = new int[sorted.length + 1];
    int owners = 0;
    for (int i = 0; i < sorted.length; i++) {
      if (i == 0 || !sorted[i].getName().equals(sorted[i - 1].getName())) {
        starts[owners++] = i;
      }
    }
    starts[owners] = sorted.length;
    ownerStarts = Arrays.copyOf(starts, owners + 1);

    keyKnown = new boolean[keys.size()];
    keyTags = new int[keys.size()];
    keyAlgorithms = new int[keys.size()];
    int apex = owner(origin);
    for (int k = 0; k < keys.size(); k++) {
      DNSKEYRecord dnskey = keys.get(k).dnskey();
      keyTags[k] = dnskey.getFootprint();
      keyAlgorithms[k] = dnskey.getAlgorithm();
      if (apex >= 0) {
        byte[] rdata = dnskey.rdataToWireCanonical();
        int sameTag = 0;
        for (int i = ownerStarts[apex]; i < ownerStarts[apex + 1]; i++) {
          if (records[i] instanceof DNSKEYRecord old && old.getFootprint() == keyTags[k]
              && old.getAlgorithm() == keyAlgorithms[k]) {
            sameTag++;
            keyKnown[k] |= Arrays.equals(old.rdataToWireCanonical(), rdata);
          }
        }
        keyKnown[k] &= sameTag == 1;
      }
    }
  }

  /** The owner index of {@code name} in the previous version, or -1 if it had no records there. */
  int owner(Name name) {
    int lo = 0;
    int hi = ownerStarts.length - 2;
    while (lo <= hi) {
      int mid = (lo + hi) >>> 1;
      int c = records[ownerStarts[mid]].getName().compareTo(name);
      if (c < 0) {
        lo = mid + 1;
      } else if (c > 0) {
        hi = mid - 1;
      } else {
        return mid;
      }
    }
    return -1;
  }

  /**
   * Whether the previous version had exactly the RRset {@code rrs[from, to)} at {@code owner}: same type, TTL and
   * set of canonical RDATA (RFC 4034 §6.2, as the signature covers it; both sides in canonical order, §6.3), so an
   * RRSIG over it still verifies.
   */
  boolean sameRrset(int owner, Record[] rrs, int from, int to) {
    int type = rrs[from].getType();
    int i = ownerStarts[owner];
    int end = ownerStarts[owner + 1];
    while (i < end && records[i].getType() != type) {
      i++;
    }
    for (int j = from; j < to; j++, i++) {
      if (i == end || records[i].getType() != type || records[i].getTTL() != rrs[j].getTTL()
          || !Arrays.equals(CanonicalOrder.rdata(records[i]), CanonicalOrder.rdata(rrs[j]))) {
        return false;
      }
    }
    return i == end || records[i].getType() != type;
  }

  /**
   * The previous RRSIG over the RRset {@code type} at {@code owner} by key {@code keyIndex} of the run, or null if
   * there is none or the key was not published with the same DNSKEY record before (a new key, a changed role, or a
   * key that only shares the key tag, RFC 4034 Appendix B).
   */
  RRSIGRecord signature(int owner, int type, long ttl, int keyIndex) {
    if (!keyKnown[keyIndex]) {
      return null;
    }
    for (int i = ownerStarts[owner]; i < ownerStarts[owner + 1]; i++) {
      if (records[i] instanceof RRSIGRecord sig && sig.getTypeCovered() == type
          && sig.getFootprint() == keyTags[keyIndex] && sig.getAlgorithm() == keyAlgorithms[keyIndex]
          && sig.getOrigTTL() == ttl && sig.getSigner().equals(origin)) {
        return sig;
      }
    }
    return null;
  }

  /** Whether {@code sig} must be re-made for its validity times ({@link SignatureRefresh}). */
  boolean isDue(RRSIGRecord sig) {
    return SignatureRefresh.isDue(sig, policy, now);
  }

  /** The previous version without the records a signing generates: the unsigned zone it was made from. */
  Record[] unsignedRecords() {
    return Arrays.stream(records).filter(r -> !ZoneSigner.isGenerated(r.getType())).toArray(Record[]::new);
  }
}
