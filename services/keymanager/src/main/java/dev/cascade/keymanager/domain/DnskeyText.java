package dev.cascade.keymanager.domain;

import java.util.Base64;
import org.xbill.DNS.DClass;
import org.xbill.DNS.DNSKEYRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.TextParseException;

/** The DNSKEY record of a stored key in presentation format (RFC 4034 §2.2), for operators comparing with DS. */
public final class DnskeyText {

  private DnskeyText() {}

  /** Rebuilds the DNSKEY record from the stored public fields. */
  public static DNSKEYRecord record(String zone, long ttl, int flags, int algorithm, String publicKeyBase64)
      throws TextParseException {
    return new DNSKEYRecord(
        Name.fromString(zone),
        DClass.IN,
        ttl,
        flags,
        DNSKEYRecord.Protocol.DNSSEC,
        algorithm,
        Base64.getDecoder().decode(publicKeyBase64));
  }
}
