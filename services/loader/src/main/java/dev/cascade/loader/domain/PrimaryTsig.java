package dev.cascade.loader.domain;

import dev.cascade.dnssec.tsig.TsigKey;
import dev.cascade.dnssec.tsig.TsigKeys;
import dev.cascade.dnssec.xfr.PrimarySource;
import org.xbill.DNS.TSIG;

/**
 * The TSIG key (RFC 8945) the loader signs its queries and transfers to a primary with: the one place where a key
 * name from a source becomes a key.
 */
public final class PrimaryTsig {

  private PrimaryTsig() {}

  /**
   * The key {@code source} names, or null when it names none.
   *
   * @param keys the keys {@code cascade tsig add} made, as the loader's keyring holds them
   * @throws IllegalArgumentException "TSIG key &lt;name&gt; is not known" when the key is not in {@code keys}, or
   *     not usable there (the loader has no key-encryption key to unwrap it)
   */
  public static TSIG of(PrimarySource source, TsigKeys keys) {
    if (source.tsigKey() == null) {
      return null;
    }
    return keys.find(TsigKey.nameOf(source.tsigKey())).map(TsigKey::tsig)
        .orElseThrow(() -> new IllegalArgumentException("TSIG key " + source.tsigKey() + " is not known"));
  }
}
