package dev.cascade.keymanager.api;

import java.time.Instant;
import java.util.List;

/** JSON body of {@code GET /keys/{zone}}. */
public record ZoneKeysView(String zone, List<Key> keys) {

  /**
   * The public facts of one key.
   *
   * @param algorithm RFC 8624 mnemonic, e.g. ECDSAP256SHA256
   * @param state {@code active} while in the zone's key set, {@code retired} after the zone was removed
   * @param dnskey the DNSKEY record in presentation format
   */
  public record Key(
      int keyTag,
      String role,
      String algorithm,
      int algorithmNumber,
      int flags,
      String state,
      Instant createdAt,
      Instant expiresAt,
      Instant retiredAt,
      String reference,
      String dnskey) {}
}
