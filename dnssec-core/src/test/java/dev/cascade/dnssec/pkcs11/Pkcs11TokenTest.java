package dev.cascade.dnssec.pkcs11;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cascade.dnssec.keys.KeyAlgorithm;
import dev.cascade.dnssec.keys.KeyGenerator;
import dev.cascade.dnssec.keys.SigningKey;
import dev.cascade.dnssec.sign.SignedZone;
import dev.cascade.dnssec.sign.SigningPolicy;
import dev.cascade.dnssec.sign.ZoneSigner;
import dev.cascade.dnssec.testsupport.ExternalVerifiers;
import dev.cascade.dnssec.testsupport.SoftHsm;
import dev.cascade.dnssec.verify.VerificationReport;
import dev.cascade.dnssec.verify.ZoneVerifier;
import dev.cascade.dnssec.zone.ZoneFileParser;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.xbill.DNS.DNSKEYRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.RRSIGRecord;
import org.xbill.DNS.Record;

/**
 * Keys generated in a real SoftHSM2 token, found again by their URIs through a second login (as the signer finds
 * the key manager's keys), and a zone signed through the token on two threads, accepted by Cascade's verifier and
 * by dnssec-verify, ldns-verify-zone and kzonecheck.
 */
class Pkcs11TokenTest {
  private static final Name ORIGIN = Name.fromConstantString("example.");
  /** As in ZoneSignerTest: a fixed time and a 10-year lifetime, still valid when the external tools check. */
  private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");
  private static final SigningPolicy NSEC = new SigningPolicy(SigningPolicy.Denial.NSEC, false, 0, new byte[0],
      Duration.ofHours(1), Duration.ofDays(10 * 365), Duration.ofDays(9 * 365), Duration.ofHours(12));

  private static Pkcs11Token keyManager;
  private static Pkcs11Token signer;
  private static List<Record> zone;

  @BeforeAll
  static void open() throws Exception {
    keyManager = Pkcs11Token.open(SoftHsm.token());
    signer = Pkcs11Token.open(SoftHsm.token());
    zone = ZoneFileParser.parse(Path.of("src/test/resources/zones/tricky.example.zone"), ORIGIN).records();
  }

  @ParameterizedTest
  @ValueSource(strings = {"ECDSAP256SHA256", "RSASHA256", "ECDSAP384SHA384", "RSASHA512"})
  void zoneSignedInTheTokenValidates(String algorithm, @TempDir Path dir) throws Exception {
    KeyAlgorithm alg = KeyAlgorithm.parse(algorithm);
    SigningKey ksk = keyManager.generate(ORIGIN, alg, KeyGenerator.FLAGS_SEP, 3600);
    SigningKey zsk = keyManager.generate(ORIGIN, alg, KeyGenerator.FLAGS_ZSK, 3600);
    assertNull(ksk.privateKey().getEncoded(), "the private key must not leave the token");

    // The signer knows the keys only by their DNSKEY records and URIs, as a key set announces them.
    List<SigningKey> keys = List.of(
        signer.find(Pkcs11Uri.parse(keyManager.uriOf(ksk.dnskey()).toString()), ksk.dnskey(), null),
        signer.find(Pkcs11Uri.parse(keyManager.uriOf(zsk.dnskey()).toString()), zsk.dnskey(), null));
    assertEquals(signer.providerName(), keys.get(0).provider());
    SignedZone signed = new ZoneSigner(Clock.fixed(NOW, ZoneOffset.UTC), 2).sign(ORIGIN, zone, keys, 3600, NSEC,
        2026010100L);

    List<DNSKEYRecord> published = keys.stream().map(SigningKey::dnskey).toList();
    VerificationReport report = ZoneVerifier.verify(ORIGIN, signed.records(), published, NOW, Duration.ofDays(1));
    assertTrue(report.ok(), () -> String.join("\n", report.problems()));
    ExternalVerifiers.assertAllAccept(ORIGIN, signed.records(), dir);
    if (alg.number() == 13) {
      // RFC 6605 §4: r||s, 32 octets each, not DER.
      assertTrue(signed.records().stream().filter(RRSIGRecord.class::isInstance)
          .allMatch(r -> ((RRSIGRecord) r).getSignature().length == 64));
    }
  }

  @Test
  void aUriForAnotherKeyOrTokenOrNoKeyIsRefused() {
    KeyAlgorithm p256 = KeyAlgorithm.parse("ECDSAP256SHA256");
    SigningKey one = keyManager.generate(ORIGIN, p256, KeyGenerator.FLAGS_ZSK, 3600);
    SigningKey two = keyManager.generate(ORIGIN, p256, KeyGenerator.FLAGS_ZSK, 3600);

    Pkcs11Uri uri = keyManager.uriOf(one.dnskey());
    IllegalArgumentException other =
        assertThrows(IllegalArgumentException.class, () -> signer.find(uri, two.dnskey(), null));
    assertTrue(other.getMessage().contains("is not the private key of DNSKEY"), other.getMessage());
    Pkcs11Uri elsewhere = new Pkcs11Uri("another-token", uri.id());
    assertThrows(IllegalArgumentException.class, () -> signer.find(elsewhere, one.dnskey(), null));
    Pkcs11Uri missing = new Pkcs11Uri(SoftHsm.LABEL, "no-such-key".getBytes());
    IllegalArgumentException none =
        assertThrows(IllegalArgumentException.class, () -> signer.find(missing, one.dnskey(), null));
    assertTrue(none.getMessage().contains("has no private key"), none.getMessage());
  }

  @Test
  void deletedKeysAreGone() {
    SigningKey key = keyManager.generate(ORIGIN, KeyAlgorithm.parse("ECDSAP256SHA256"), KeyGenerator.FLAGS_ZSK, 3600);
    Pkcs11Uri uri = keyManager.uriOf(key.dnskey());
    assertEquals(key.dnskey(), signer.find(uri, key.dnskey(), null).dnskey());

    assertTrue(keyManager.delete(uri));
    assertFalse(keyManager.delete(uri));
    assertThrows(IllegalArgumentException.class, () -> signer.find(uri, key.dnskey(), null));
  }

  @Test
  void algorithmsATokenCannotHoldAndBadFlagsAreRefused() {
    assertThrows(IllegalArgumentException.class, () -> keyManager.generate(ORIGIN, KeyAlgorithm.parse("ED25519"),
        KeyGenerator.FLAGS_ZSK, 3600));
    assertThrows(IllegalArgumentException.class, () -> keyManager.generate(ORIGIN,
        KeyAlgorithm.parse("ECDSAP256SHA256"), 385, 3600));
  }

  @Test
  void aModuleThatDoesNotExistIsAClearError() {
    Pkcs11Config missing = new Pkcs11Config(Path.of("/nonexistent/libpkcs11.so"), "t", null, 0, new char[] {'1'});
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Pkcs11Token.open(missing));
    assertTrue(e.getMessage().contains("/nonexistent/libpkcs11.so"), e.getMessage());
  }

  @Test
  void theConfigurationNeverShowsThePin() throws Exception {
    assertFalse(SoftHsm.token().toString().contains(SoftHsm.PIN));
  }
}
