package dev.cascade.signer.domain;

import java.util.List;

/**
 * The latest key set of a zone, as announced by the key manager's KeySetChanged event.
 *
 * @param zone the apex, lower case and absolute
 * @param eventId id of the KeySetChanged event this set came from; it names the set in the unwrapped-key cache
 * @param dnskeyTtl TTL of the DNSKEY RRset in seconds
 * @param keys every key of the set
 */
public record WrappedKeySet(String zone, String eventId, long dnskeyTtl, List<WrappedKey> keys) {

  public WrappedKeySet {
    keys = List.copyOf(keys);
  }
}
