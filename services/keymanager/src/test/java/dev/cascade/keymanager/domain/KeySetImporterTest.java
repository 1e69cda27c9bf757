package dev.cascade.keymanager.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cascade.dnssec.keys.KeyAlgorithm;
import dev.cascade.dnssec.keys.KeyGenerator;
import dev.cascade.dnssec.keys.KeyUse;
import dev.cascade.dnssec.keys.KeyWrap;
import dev.cascade.dnssec.keys.SigningKey;
import dev.cascade.dnssec.keys.SigningRole;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Name;

/** The keymanager's side of an import: its checks, the new wrap, validity from the import, the missing roles. */
class KeySetImporterTest {

  private static final Name ZONE = Name.fromConstantString("example.test.");
  private static final Instant NOW = Instant.parse("2026-12-07T00:00:00Z");
  private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
  private static final KeyWrap GATEWAY_KEK = new KeyWrap(kek(1));
  private static final KeyWrap KEYMANAGER_KEK = new KeyWrap(kek(2), List.of(kek(1)));
  private static final KeyPolicy POLICY = KeyPolicy.of("ECDSAP256SHA256", false, Duration.ofDays(365).toSeconds(),
      Duration.ofDays(30).toSeconds(), Duration.ofDays(365).toSeconds(), 3600, RollSettings.REFERENCE);

  private static byte[] kek(int fill) {
    byte[] kek = new byte[32];
    Arrays.fill(kek, (byte) fill);
    return kek;
  }

  private static SigningKey key(SigningRole role) {
    return KeyGenerator.generate(ZONE, KeyAlgorithm.of(13), role.flags(), 0);
  }

  private static KeySetImporter.Request request(String role, SigningKey key, KeyWrap wrap) {
    return new KeySetImporter.Request(role, "K" + key.keyTag() + ".key", key.dnskey().toString(), wrap.wrap(key),
        null, null);
  }

  private static KeySetImporter importer() {
    return new KeySetImporter(new KeySetGenerator(KeyGenerator::generate, CLOCK), KEYMANAGER_KEK, HsmKeys.NONE,
        CLOCK);
  }

  @Test
  void aKskImportedAloneIsKeptRewrappedAndAZskIsGeneratedBesideIt() throws Exception {
    SigningKey ksk = key(SigningRole.KSK);
    List<KeySetImporter.Member> members = importer().importKeys(ZONE, POLICY,
        List.of(request("KSK", ksk, GATEWAY_KEK)), Set.of());

    assertEquals(2, members.size());
    KeySetImporter.Member imported = members.get(0);
    assertTrue(imported.imported());
    assertEquals(SigningRole.KSK, imported.key().role());
    assertEquals(ksk.keyTag(), imported.key().key().keyTag());
    assertEquals(3600, imported.key().key().dnskey().getTTL(), "the policy's DNSKEY TTL");
    assertEquals(NOW, imported.key().createdAt());
    assertEquals(NOW.plus(Duration.ofDays(365)), imported.key().expiresAt(), "validity counted from the import");
    assertEquals(ksk.privateKey(), imported.key().key().privateKey(), "unwrapped from the gateway's wrap");
    KeySetImporter.Member generated = members.get(1);
    assertFalse(generated.imported());
    assertEquals(SigningRole.ZSK, generated.key().role());
    assertNotEquals(ksk.keyTag(), generated.key().key().keyTag());
  }

  @Test
  void aPublicKeyIsOnlyPublishedAndTheRolesAreGeneratedBesideIt() throws Exception {
    SigningKey others = key(SigningRole.KSK);
    KeySetImporter.Request request = new KeySetImporter.Request("KSK", "Kother.key", others.dnskey().toString(), null,
        null, null);
    List<KeySetImporter.Member> members = importer().importKeys(ZONE, POLICY, List.of(request), Set.of());

    assertEquals(3, members.size(), "the public key, and a generated KSK and ZSK");
    KeySetImporter.Member published = members.get(0);
    assertEquals(others.keyTag(), published.key().key().keyTag());
    assertNull(published.key().key().privateKey());
    assertEquals(new KeyUse(true, false, false), published.key().key().use(), "published, signing nothing");
    assertNull(published.key().expiresAt(), "never rolled");
    assertEquals(List.of(SigningRole.KSK, SigningRole.ZSK),
        members.subList(1, 3).stream().map(m -> m.key().role()).toList());
    assertTrue(members.subList(1, 3).stream().noneMatch(KeySetImporter.Member::imported));
  }

  @Test
  void aKeyTagOfARetiredKeyIsRefused() {
    SigningKey zsk = key(SigningRole.ZSK);
    KeySetImporter.ImportRefusedException e = assertThrows(KeySetImporter.ImportRefusedException.class,
        () -> importer().importKeys(ZONE, POLICY, List.of(request("ZSK", zsk, GATEWAY_KEK)), Set.of(zsk.keyTag())));
    assertEquals("K" + zsk.keyTag() + ".key: key tag " + zsk.keyTag() + " is already used by a key of example.test.",
        e.getMessage());
  }

  @Test
  void aKeyWrappedUnderAnUnknownKekIsRefused() {
    SigningKey ksk = key(SigningRole.KSK);
    KeySetImporter.ImportRefusedException e = assertThrows(KeySetImporter.ImportRefusedException.class,
        () -> importer().importKeys(ZONE, POLICY, List.of(request("KSK", ksk, new KeyWrap(kek(3)))), Set.of()));
    assertTrue(e.getMessage().startsWith("K" + ksk.keyTag() + ".key: the private key is wrapped under "
        + "key-encryption key " + KeyWrap.idOf(kek(3)) + ", which is not configured"), e.getMessage());
  }

  @Test
  void aPrivateKeyWrappedForAnotherKeyIsRefused() {
    SigningKey ksk = key(SigningRole.KSK);
    SigningKey other = key(SigningRole.KSK);
    KeySetImporter.Request swapped = new KeySetImporter.Request("KSK", "K.key", ksk.dnskey().toString(),
        GATEWAY_KEK.wrap(other), null, null);
    KeySetImporter.ImportRefusedException e = assertThrows(KeySetImporter.ImportRefusedException.class,
        () -> importer().importKeys(ZONE, POLICY, List.of(swapped), Set.of()));
    assertTrue(e.getMessage().startsWith("K.key: cannot unwrap the private key"), e.getMessage());
  }

  @Test
  void aRoleThePolicyDoesNotUseIsRefused() {
    SigningKey csk = key(SigningRole.CSK);
    KeySetImporter.ImportRefusedException e = assertThrows(KeySetImporter.ImportRefusedException.class,
        () -> importer().importKeys(ZONE, POLICY, List.of(request("CSK", csk, GATEWAY_KEK)), Set.of()));
    assertTrue(e.getMessage().contains("a CSK cannot be imported into a zone whose policy uses a KSK and a ZSK"),
        e.getMessage());
  }
}
