package dev.cascade.signer.domain;

import java.util.List;

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

  /** A key set without CDS and CDNSKEY. */
  public WrappedKeySet(String zone, String eventId, long dnskeyTtl, List<WrappedKey> keys) {
    this(zone, eventId, dnskeyTtl, keys, List.of());
  }
}
