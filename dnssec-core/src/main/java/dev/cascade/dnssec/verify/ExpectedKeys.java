package dev.cascade.dnssec.verify;

import dev.cascade.dnssec.keys.KeyUse;
import dev.cascade.dnssec.keys.SigningKey;
import java.util.List;
import java.util.Objects;
import org.xbill.DNS.DNSKEYRecord;

/**
 * The key set a signed zone is verified against, as the key manager announced it: each key's DNSKEY record and,
 * during a roll, its use (RFC 7583 §3.1). A key with a use is in the DNSKEY RRset if it is published, and the RRsets
 * it signs must carry its valid RRSIG, those it does not sign none; a key without one is in the DNSKEY RRset and may
 * sign any RRset, as before rolls.
 *
 * @param keys every key of the set
 */
public record ExpectedKeys(List<Key> keys) {

  /**
   * One key.
   *
   * @param dnskey its DNSKEY record
   * @param use what it does in the zone, null for all its role's jobs
   */
  public record Key(DNSKEYRecord dnskey, KeyUse use) {
    public Key {
      Objects.requireNonNull(dnskey, "dnskey");
    }

    /** Whether the key is to be in the zone's DNSKEY RRset. */
    public boolean published() {
      return use == null || use.published();
    }
  }

  public ExpectedKeys {
    keys = List.copyOf(keys);
  }

  /** Keys without uses, all in the DNSKEY RRset: a zone outside any roll, or an offline signing. */
  public static ExpectedKeys published(List<DNSKEYRecord> dnskeys) {
    return new ExpectedKeys(dnskeys.stream().map(k -> new Key(k, null)).toList());
  }

  /** The public half and use of each signing key. */
  public static ExpectedKeys of(List<SigningKey> keys) {
    return new ExpectedKeys(keys.stream().map(k -> new Key(k.dnskey(), k.use())).toList());
  }

  /** The DNSKEY records of the keys to be in the zone's DNSKEY RRset. */
  public List<DNSKEYRecord> published() {
    return keys.stream().filter(Key::published).map(Key::dnskey).toList();
  }
}
