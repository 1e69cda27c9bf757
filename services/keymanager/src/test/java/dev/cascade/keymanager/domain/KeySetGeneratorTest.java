package dev.cascade.keymanager.domain;

import dev.cascade.dnssec.keys.SigningRole;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cascade.dnssec.keys.Algorithms;
import dev.cascade.dnssec.keys.KeyAlgorithm;
import dev.cascade.dnssec.keys.KeyGenerator;
import dev.cascade.dnssec.keys.SigningKey;
import java.security.interfaces.RSAPublicKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Name;

class KeySetGeneratorTest {

  private static final Name ZONE = Name.fromConstantString("example.test.");
  private static final Instant NOW = Instant.parse("2026-11-28T00:00:00Z");
  private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

  private static KeyPolicy split() {
    return KeyPolicy.of("ECDSAP256SHA256", false, Duration.ofDays(365).toSeconds(), Duration.ofDays(30).toSeconds(),
        Duration.ofDays(365).toSeconds(), 3600, RollSettings.REFERENCE);
  }

  @Test
  void splitPolicyGivesAKskAndAZskWithTheirFlags() {
    List<NewKey> keys = new KeySetGenerator(KeyGenerator::generate, CLOCK).generate(ZONE, split(), Set.of());

    assertEquals(2, keys.size());
    NewKey ksk = keys.get(0);
    NewKey zsk = keys.get(1);
    assertEquals(SigningRole.KSK, ksk.role());
    assertEquals(257, ksk.key().dnskey().getFlags());
    assertTrue(ksk.key().isSep());
    assertEquals(SigningRole.ZSK, zsk.role());
    assertEquals(256, zsk.key().dnskey().getFlags());
    for (NewKey key : keys) {
      assertEquals(Algorithms.ECDSAP256SHA256, key.key().dnskey().getAlgorithm());
      assertEquals(3600, key.key().dnskey().getTTL());
      assertEquals(ZONE, key.key().dnskey().getName());
      assertEquals(NOW, key.createdAt());
    }
    assertEquals(NOW.plus(Duration.ofDays(365)), ksk.expiresAt());
    assertEquals(NOW.plus(Duration.ofDays(30)), zsk.expiresAt());
    assertNotEquals(ksk.key().keyTag(), zsk.key().keyTag());
  }

  @Test
  void rsaKeysHaveThePolicysModulusLength() throws Exception {
    KeyPolicy rsa = KeyPolicy.of("RSASHA256:3072", true, 0, 0, 0, 3600, RollSettings.REFERENCE);
    NewKey csk = new KeySetGenerator(KeyGenerator::generate, CLOCK).generate(ZONE, rsa, Set.of()).get(0);
    assertEquals(Algorithms.RSASHA256, csk.key().dnskey().getAlgorithm());
    assertEquals(3072, ((RSAPublicKey) csk.key().dnskey().getPublicKey()).getModulus().bitLength());
  }

  @Test
  void cskPolicyGivesOneSepKeyWithTheCskValidity() {
    KeyPolicy csk = KeyPolicy.of("ED25519", true, 1000, 10, 500, 300, RollSettings.REFERENCE);

    List<NewKey> keys = new KeySetGenerator(KeyGenerator::generate, CLOCK).generate(ZONE, csk, Set.of());

    assertEquals(1, keys.size());
    assertEquals(SigningRole.CSK, keys.get(0).role());
    assertEquals(257, keys.get(0).key().dnskey().getFlags());
    assertEquals(Algorithms.ED25519, keys.get(0).key().dnskey().getAlgorithm());
    assertEquals(NOW.plusSeconds(500), keys.get(0).expiresAt());
  }

  @Test
  void zeroValidityMeansNoExpiry() {
    KeyPolicy forever = KeyPolicy.of("ECDSAP256SHA256", false, 0, 0, 0, 3600, RollSettings.REFERENCE);

    List<NewKey> keys = new KeySetGenerator(KeyGenerator::generate, CLOCK).generate(ZONE, forever, Set.of());

    keys.forEach(k -> assertNull(k.expiresAt()));
  }

  @Test
  void keyWhoseTagIsAlreadyUsedInTheZoneIsRegenerated() {
    SigningKey clash = KeyGenerator.generate(ZONE, Algorithms.ECDSAP256SHA256, 257, 3600);
    Deque<SigningKey> scripted = new ArrayDeque<>(List.of(clash));
    AtomicInteger calls = new AtomicInteger();
    KeySetGenerator.KeySource source =
        (zone, alg, flags, ttl) -> {
          calls.incrementAndGet();
          return scripted.isEmpty() ? KeyGenerator.generate(zone, alg, flags, ttl) : scripted.pop();
        };

    List<NewKey> keys = new KeySetGenerator(source, CLOCK).generate(ZONE, split(), Set.of(clash.keyTag()));

    assertEquals(3, calls.get(), "the clashing KSK is thrown away and generated again");
    assertTrue(keys.stream().noneMatch(k -> k.key().keyTag() == clash.keyTag()));
  }

  @Test
  void aPolicyNamingATokenGetsItsKeysThereAndAClashingOneIsDiscardedThere() {
    SigningKey clash = KeyGenerator.generate(ZONE, Algorithms.ECDSAP256SHA256, 257, 3600);
    Deque<SigningKey> scripted = new ArrayDeque<>(List.of(clash));
    List<SigningKey> discarded = new ArrayList<>();
    KeySetGenerator.KeySource token = new KeySetGenerator.KeySource() {
      @Override
      public SigningKey generate(Name zone, KeyAlgorithm algorithm, int flags, long ttl) {
        return scripted.isEmpty() ? KeyGenerator.generate(zone, algorithm, flags, ttl) : scripted.pop();
      }

      @Override
      public void discard(SigningKey key) {
        discarded.add(key);
      }
    };
    KeySetGenerator.KeySource software = (zone, alg, flags, ttl) -> {
      throw new AssertionError("a key in software for a policy that names a token");
    };
    KeySetGenerator generator = new KeySetGenerator(software, Map.of("hsm1", token), CLOCK);

    List<NewKey> keys = generator.generate(ZONE, split().withHsm("hsm1"), Set.of(clash.keyTag()));

    assertEquals(2, keys.size());
    assertEquals(List.of(clash), discarded, "the clashing key is destroyed in the token");
    IllegalStateException unknown = assertThrows(IllegalStateException.class,
        () -> generator.generate(ZONE, split().withHsm("hsm2"), Set.of()));
    assertTrue(unknown.getMessage().contains("hsm-server-id \"hsm2\"") && unknown.getMessage().contains("[hsm1]"),
        unknown.getMessage());
  }

  @Test
  void zskMayNotTakeTheTagOfTheNewKsk() {
    SigningKey ksk = KeyGenerator.generate(ZONE, Algorithms.ECDSAP256SHA256, 257, 3600);
    SigningKey zskWithKskTag = new SigningKey(ksk.dnskey(), ksk.privateKey());
    Deque<SigningKey> scripted = new ArrayDeque<>(List.of(ksk, zskWithKskTag));
    KeySetGenerator.KeySource source =
        (zone, alg, flags, ttl) -> scripted.isEmpty() ? KeyGenerator.generate(zone, alg, flags, ttl) : scripted.pop();

    List<NewKey> keys = new KeySetGenerator(source, CLOCK).generate(ZONE, split(), Set.of());

    assertEquals(ksk.keyTag(), keys.get(0).key().keyTag());
    assertNotEquals(ksk.keyTag(), keys.get(1).key().keyTag());
  }

  @Test
  void sourceThatOnlyRepeatsUsedTagsIsRefused() {
    SigningKey only = KeyGenerator.generate(ZONE, Algorithms.ECDSAP256SHA256, 257, 3600);
    AtomicInteger calls = new AtomicInteger();
    KeySetGenerator.KeySource stuck =
        (zone, alg, flags, ttl) -> {
          calls.incrementAndGet();
          return only;
        };

    IllegalStateException refused =
        assertThrows(
            IllegalStateException.class,
            () -> new KeySetGenerator(stuck, CLOCK).generate(ZONE, split(), Set.of(only.keyTag())));

    assertEquals(KeySetGenerator.MAX_ATTEMPTS, calls.get());
    assertTrue(refused.getMessage().contains("key tag"), refused.getMessage());
  }

  @Test
  void unknownAlgorithmIsRejected() {
    assertThrows(IllegalArgumentException.class,
        () -> KeyPolicy.of("NOSUCHALG", false, 0, 0, 0, 3600, RollSettings.REFERENCE));
  }
}
