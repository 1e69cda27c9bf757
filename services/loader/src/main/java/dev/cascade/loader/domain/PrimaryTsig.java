package dev.cascade.loader.domain;

import dev.cascade.dnssec.xfr.PrimarySource;
import org.xbill.DNS.TSIG;

/**
 * The TSIG key (RFC 8945) the loader signs its queries and transfers to a primary with, and checks that primary's
 * NOTIFYs against: the one place where a key name from a source becomes a key. No key store exists yet (issue 10 item
 * 2 brings it), so a source that names a key is refused with a clear reason until it does.
 */
public final class PrimaryTsig {

  private PrimaryTsig() {}

  /**
   * The key {@code source} names, or null when it names none.
   *
   * @throws IllegalArgumentException "TSIG key &lt;name&gt; is not known" when the key is not in the store
   */
  public static TSIG of(PrimarySource source) {
    if (source.tsigKey() == null) {
      return null;
    }
    throw new IllegalArgumentException("TSIG key " + source.tsigKey() + " is not known");
  }
}
