package dev.cascade.dnssec.testsupport;

import dev.cascade.dnssec.keys.CryptoProvider;
import dev.cascade.dnssec.keys.SigningKey;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import org.xbill.DNS.DClass;
import org.xbill.DNS.DNSKEYRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Tokenizer;
import org.xbill.DNS.Type;

/**
 * Fixed keys of the zone {@code example.}, so signing tests are deterministic and fast: each
 * {@code keys/<name>.key} holds the DNSKEY in presentation format, then the base64 PKCS#8 private key.
 * Names: ksk13/zsk13 (ECDSAP256SHA256), ksk15/zsk15 (ED25519), csk8 (RSASHA256), csk10 (RSASHA512),
 * csk14 (ECDSAP384SHA384), csk16 (ED448), unpublished13 (a ZSK that is never published), ksk13b/zsk13b (the
 * ECDSAP256SHA256 keys a roll brings in).
 */
public final class TestKeys {
  private TestKeys() {}

  public static SigningKey load(String name) {
    try (InputStream in = TestKeys.class.getResourceAsStream("/keys/" + name + ".key")) {
      String[] lines = new String(in.readAllBytes(), StandardCharsets.US_ASCII).split("\n");
      Tokenizer st = new Tokenizer(lines[0]);
      Name owner = st.getName(Name.root);
      long ttl = st.getTTL();
      st.getString();  // class
      st.getString();  // type
      DNSKEYRecord dnskey = (DNSKEYRecord) Record.fromString(owner, Type.DNSKEY, DClass.IN, ttl, st, Name.root);
      String jca = switch (dnskey.getAlgorithm()) {
        case 8, 10 -> "RSA";
        case 13, 14 -> "EC";
        case 15 -> "Ed25519";
        case 16 -> "Ed448";
        default -> throw new IllegalArgumentException("algorithm " + dnskey.getAlgorithm());
      };
      PrivateKey privateKey = KeyFactory.getInstance(jca, CryptoProvider.bouncyCastle())
          .generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(lines[1].trim())));
      return new SigningKey(dnskey, privateKey);
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalStateException("cannot load test key " + name, e);
    }
  }
}
