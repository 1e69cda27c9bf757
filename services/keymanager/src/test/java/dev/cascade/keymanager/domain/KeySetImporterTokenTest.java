package dev.cascade.keymanager.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cascade.dnssec.keys.KeyAlgorithm;
import dev.cascade.dnssec.keys.KeyGenerator;
import dev.cascade.dnssec.keys.KeyWrap;
import dev.cascade.dnssec.keys.SigningKey;
import dev.cascade.dnssec.keys.SigningRole;
import dev.cascade.dnssec.pkcs11.Pkcs11Config;
import dev.cascade.dnssec.pkcs11.Pkcs11Token;
import dev.cascade.keymanager.domain.KeySetImporter.ImportRefusedException;
import dev.cascade.testinfra.SoftHsmResource;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Name;

/**
 * Keys taken over in the keymanager's PKCS#11 token (a real SoftHSM2 token): announced with the URI they came with,
 * no private key wrapped, checked against their DNSKEY; without a token, or with a URI to another key, refused.
 */
class KeySetImporterTokenTest {
  private static final Name ZONE = Name.fromConstantString("token-import.test.");
  private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-12-07T00:00:00Z"), ZoneOffset.UTC);
  private static final KeyPolicy POLICY = KeyPolicy.of("ECDSAP256SHA256", false, Duration.ofDays(365).toSeconds(),
      Duration.ofDays(30).toSeconds(), Duration.ofDays(365).toSeconds(), 3600, RollSettings.REFERENCE);

  private static KeyWrap kek() {
    byte[] kek = new byte[32];
    Arrays.fill(kek, (byte) 3);
    return new KeyWrap(kek);
  }

  @Test
  void aKeyInTheTokenIsTakenOverByItsUri() throws Exception {
    Pkcs11Token token = Pkcs11Token.open(new Pkcs11Config(Path.of(SoftHsmResource.LIBRARY), SoftHsmResource.LABEL,
        Long.parseLong(SoftHsmResource.slot()), 0, SoftHsmResource.PIN.toCharArray()));
    KeyAlgorithm p256 = KeyAlgorithm.parse("ECDSAP256SHA256");
    SigningKey ksk = token.generate(ZONE, p256, KeyGenerator.FLAGS_SEP, 3600);
    SigningKey zsk = token.generate(ZONE, p256, KeyGenerator.FLAGS_ZSK, 3600);
    String kskUri = token.uriOf(ksk.dnskey()).toString();
    KeySetImporter importer = new KeySetImporter(new KeySetGenerator(KeyGenerator::generate, CLOCK), kek(),
        new HsmKeys(SoftHsmResource.SERVER_ID, token), CLOCK);

    List<KeySetImporter.Member> members = importer.importKeys(ZONE, POLICY, List.of(
        new KeySetImporter.Request("KSK", "OpenDNSSEC key", ksk.dnskey().toString(), null, kskUri, null),
        new KeySetImporter.Request("ZSK", "OpenDNSSEC key", zsk.dnskey().toString(), null,
            token.uriOf(zsk.dnskey()).toString(), null)), Set.of());

    assertEquals(2, members.size());
    KeySetImporter.Member k = members.get(0);
    assertEquals(SigningRole.KSK, k.key().role());
    assertEquals(ksk.keyTag(), k.key().key().keyTag());
    assertEquals(kskUri, k.privateKeyUri());
    assertEquals(token.providerName(), k.key().key().provider());

    // The ZSK's URI for the KSK's DNSKEY: the token's key is not the DNSKEY's.
    ImportRefusedException e = assertThrows(ImportRefusedException.class, () -> importer.importKeys(ZONE, POLICY,
        List.of(new KeySetImporter.Request("KSK", "K.key", ksk.dnskey().toString(), null,
            token.uriOf(zsk.dnskey()).toString(), null)), Set.of()));
    assertTrue(e.getMessage().contains("is not the private key of DNSKEY"), e.getMessage());
    KeySetImporter noToken = new KeySetImporter(new KeySetGenerator(KeyGenerator::generate, CLOCK), kek(),
        HsmKeys.NONE, CLOCK);
    e = assertThrows(ImportRefusedException.class, () -> noToken.importKeys(ZONE, POLICY,
        List.of(new KeySetImporter.Request("KSK", "K.key", ksk.dnskey().toString(), null, kskUri, null)), Set.of()));
    assertTrue(e.getMessage().contains("has no PKCS#11 token"), e.getMessage());
  }
}
