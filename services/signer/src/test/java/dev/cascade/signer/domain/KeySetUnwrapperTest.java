package dev.cascade.signer.domain;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cascade.dnssec.keys.Algorithms;
import dev.cascade.dnssec.keys.KeyGenerator;
import dev.cascade.dnssec.keys.KeyUse;
import dev.cascade.dnssec.keys.KeyWrap;
import dev.cascade.dnssec.keys.SigningKey;
import java.net.InetAddress;
import java.security.interfaces.ECPrivateKey;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.DNSSEC;
import org.xbill.DNS.RRSIGRecord;
import org.xbill.DNS.RRset;

class KeySetUnwrapperTest {

  private final List<SigningKey> keys = TestZones.keys();

  @Test
  void unwrapsEveryKeyWithItsDnskey() throws Exception {
    List<SigningKey> unwrapped = new KeySetUnwrapper(new KeyWrap(TestZones.KEK)).unwrap(TestZones.wrapped(keys, "e1"));

    assertEquals(2, unwrapped.size());
    for (int i = 0; i < keys.size(); i++) {
      assertEquals(keys.get(i).dnskey(), unwrapped.get(i).dnskey());
      assertEquals(keys.get(i).keyTag(), unwrapped.get(i).keyTag());
      assertArrayEquals(keys.get(i).privateKey().getEncoded(), unwrapped.get(i).privateKey().getEncoded());
    }
  }

  /**
   * Issue 12: about one ECDSA key in 256 has a zero first octet in its private scalar d, in x or in y. Keys from the
   * key manager's generator are drawn until each case turns up; each must come out of the key set whole and sign.
   */
  @ParameterizedTest
  @ValueSource(ints = {Algorithms.ECDSAP256SHA256, Algorithms.ECDSAP384SHA384})
  void unwrapsKeysWithALeadingZeroOctet(int algorithm) throws Exception {
    int size = algorithm == Algorithms.ECDSAP256SHA256 ? 32 : 48;  // octets of d, x and y (RFC 6605 §4)
    List<SigningKey> drawn = List.of(
        draw(algorithm, k -> ((ECPrivateKey) k.privateKey()).getS().bitLength() <= 8 * (size - 1)),
        draw(algorithm, k -> k.dnskey().getKey()[0] == 0),
        draw(algorithm, k -> k.dnskey().getKey()[size] == 0));

    List<SigningKey> unwrapped = new KeySetUnwrapper(new KeyWrap(TestZones.KEK)).unwrap(TestZones.wrapped(drawn, "e1"));

    Instant now = Instant.parse("2026-01-01T00:00:00Z");
    RRset rrset = new RRset(new ARecord(TestZones.name("www.example.test."), DClass.IN, 300,
        InetAddress.getByAddress(new byte[] {(byte) 192, 0, 2, 1})));
    for (int i = 0; i < drawn.size(); i++) {
      SigningKey key = unwrapped.get(i);
      assertEquals(drawn.get(i).dnskey(), key.dnskey());
      assertArrayEquals(drawn.get(i).privateKey().getEncoded(), key.privateKey().getEncoded());
      RRSIGRecord sig = DNSSEC.sign(rrset, key.dnskey(), key.privateKey(), now, now.plusSeconds(3600));
      DNSSEC.verify(rrset, sig, key.dnskey(), now);
    }
  }

  /** A ZSK of the origin drawn from the key manager's generator until it has the property (1 in 256 has it). */
  private static SigningKey draw(int algorithm, Predicate<SigningKey> property) {
    for (int i = 0; i < 100_000; i++) {
      SigningKey key = KeyGenerator.generate(TestZones.origin(), algorithm, KeyGenerator.FLAGS_ZSK, 3600);
      if (property.test(key)) {
        return key;
      }
    }
    throw new AssertionError("100 000 keys without the property: the generator is broken");
  }

  @Test
  void aWrongKeyEncryptionKeyFailsWithTheKeyTagAndNoKeyMaterial() {
    byte[] otherKek = TestZones.KEK.clone();
    otherKek[0] ^= 1;
    WrappedKeySet keySet = TestZones.wrapped(keys, "e1");

    KeySetException e =
        assertThrows(KeySetException.class, () -> new KeySetUnwrapper(new KeyWrap(otherKek)).unwrap(keySet));

    assertTrue(e.getMessage().contains("key " + keys.get(0).keyTag()), e.getMessage());
    assertTrue(e.getMessage().contains("cannot unwrap"), e.getMessage());
    String wrappedBase64 = Base64.getEncoder().encodeToString(keySet.keys().get(0).wrappedPrivateKey());
    assertFalse(e.getMessage().contains(wrappedBase64.substring(0, 16)));
  }

  @Test
  void refusesAPublicKeyThatDoesNotMatchTheAnnouncedKeyTag() {
    WrappedKeySet good = TestZones.wrapped(keys, "e1");
    WrappedKey first = good.keys().get(0);
    WrappedKey wrongTag =
        new WrappedKey(
            (first.keyTag() + 1) & 0xffff,
            first.algorithm(),
            first.flags(),
            first.role(),
            first.publicKey(),
            first.wrappedPrivateKey(),
            first.use());
    WrappedKeySet bad = new WrappedKeySet(good.zone(), "e2", good.dnskeyTtl(), List.of(wrongTag, good.keys().get(1)));

    KeySetException e = assertThrows(KeySetException.class, () -> new KeySetUnwrapper(new KeyWrap(TestZones.KEK)).unwrap(bad));

    assertTrue(e.getMessage().contains("has key tag " + first.keyTag()), e.getMessage());
  }

  @Test
  void aKeyInATokenWithoutATokenConfiguredIsAClearError() {
    WrappedKeySet good = TestZones.wrapped(keys, "e1");
    WrappedKey first = good.keys().get(0);
    String uri = "pkcs11:token=hsm;id=%63%61;type=private";
    WrappedKey inToken = new WrappedKey(first.keyTag(), first.algorithm(), first.flags(), first.role(),
        first.publicKey(), new byte[0], first.use(), uri);
    WrappedKeySet set = new WrappedKeySet(good.zone(), "e4", good.dnskeyTtl(), List.of(inToken, good.keys().get(1)));

    KeySetException e =
        assertThrows(KeySetException.class, () -> new KeySetUnwrapper(new KeyWrap(TestZones.KEK)).unwrap(set));

    assertTrue(e.getMessage().contains("is in a PKCS#11 token (" + uri + ")"), e.getMessage());
    assertTrue(e.getMessage().contains("cascade.pkcs11.library"), e.getMessage());
  }

  @Test
  void aKeyWithoutAPrivateHalfIsOnlyPublishedAndMayNotSign() throws Exception {
    WrappedKeySet good = TestZones.wrapped(keys, "e1");
    WrappedKey first = good.keys().get(0);
    WrappedKey published = new WrappedKey(first.keyTag(), first.algorithm(), first.flags(), first.role(),
        first.publicKey(), new byte[0], new KeyUse(true, false, false));
    WrappedKeySet set = new WrappedKeySet(good.zone(), "e5", good.dnskeyTtl(), List.of(published, good.keys().get(1)));

    SigningKey key = new KeySetUnwrapper(new KeyWrap(TestZones.KEK)).unwrap(set).get(0);
    assertEquals(first.keyTag(), key.keyTag());
    assertNull(key.privateKey());

    WrappedKey signing = new WrappedKey(first.keyTag(), first.algorithm(), first.flags(), first.role(),
        first.publicKey(), new byte[0], new KeyUse(true, true, false));
    WrappedKeySet bad = new WrappedKeySet(good.zone(), "e6", good.dnskeyTtl(), List.of(signing, good.keys().get(1)));
    KeySetException e =
        assertThrows(KeySetException.class, () -> new KeySetUnwrapper(new KeyWrap(TestZones.KEK)).unwrap(bad));
    assertTrue(e.getMessage().contains("has no private key"), e.getMessage());
  }

  @Test
  void refusesAnEmptyKeySet() {
    WrappedKeySet empty = new WrappedKeySet("example.test.", "e3", 3600, List.of());

    assertThrows(KeySetException.class, () -> new KeySetUnwrapper(new KeyWrap(TestZones.KEK)).unwrap(empty));
  }
}
