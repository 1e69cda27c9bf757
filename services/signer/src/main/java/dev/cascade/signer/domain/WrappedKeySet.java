package dev.cascade.signer.domain;

import java.util.List;
import java.util.Objects;

/**
 * The latest key set of a zone, as announced by the key manager's KeySetChanged event.
 *
 * @param zone the apex, lower case and absolute
 * @param eventId id of the KeySetChanged event this set came from; it names the set in the unwrapped-key cache
 * @param dnskeyTtl TTL of the DNSKEY RRset in seconds
 * @param keys every key of the set
 * @param cdsAndCdnskey the CDS and CDNSKEY records the zone's apex is to publish (RFC 7344, RFC 8078 §4), one record
 *     in zone-file text each, as the key manager built them; empty for none
 */
public record WrappedKeySet(String zone, String eventId, long dnskeyTtl, List<WrappedKey> keys,
    List<String> cdsAndCdnskey) {

  public WrappedKeySet {
    keys = List.copyOf(keys);
    cdsAndCdnskey = List.copyOf(cdsAndCdnskey);
  }

  /**
   * Whether a zone signed with this set is exactly what {@code other} would sign: the same DNSKEY TTL, CDS and
   * CDNSKEY records, and keys (tag, algorithm, flags, role, public key, use, token) in the same order. The wrapped
   * private keys are left out: a key wrapped again under another KEK signs as before. Announcements that only carry a
   * roll's progress (a propagation reported, a cache wait begun) thus ask for no new signed version.
   */
  public boolean signsAs(WrappedKeySet other) {
    if (dnskeyTtl != other.dnskeyTtl || !cdsAndCdnskey.equals(other.cdsAndCdnskey)
        || keys.size() != other.keys.size()) {
      return false;
    }
    for (int i = 0; i < keys.size(); i++) {
      WrappedKey a = keys.get(i);
      WrappedKey b = other.keys.get(i);
      if (a.keyTag() != b.keyTag() || a.algorithm() != b.algorithm() || a.flags() != b.flags()
          || !Objects.equals(a.role(), b.role()) || !Objects.equals(a.publicKey(), b.publicKey())
          || !Objects.equals(a.use(), b.use()) || !Objects.equals(a.privateKeyUri(), b.privateKeyUri())) {
        return false;
      }
    }
    return true;
  }

  /** A key set without CDS and CDNSKEY. */
  public WrappedKeySet(String zone, String eventId, long dnskeyTtl, List<WrappedKey> keys) {
    this(zone, eventId, dnskeyTtl, keys, List.of());
  }
}
