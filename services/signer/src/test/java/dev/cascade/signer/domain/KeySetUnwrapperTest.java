package dev.cascade.signer.domain;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cascade.dnssec.keys.SigningKey;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

class KeySetUnwrapperTest {

  private final List<SigningKey> keys = TestZones.keys();

  @Test
  void unwrapsEveryKeyWithItsDnskey() throws Exception {
    List<SigningKey> unwrapped = new KeySetUnwrapper(TestZones.KEK).unwrap(TestZones.wrapped(keys, "e1"));

    assertEquals(2, unwrapped.size());
    for (int i = 0; i < keys.size(); i++) {
      assertEquals(keys.get(i).dnskey(), unwrapped.get(i).dnskey());
      assertEquals(keys.get(i).keyTag(), unwrapped.get(i).keyTag());
      assertArrayEquals(keys.get(i).privateKey().getEncoded(), unwrapped.get(i).privateKey().getEncoded());
    }
  }

  @Test
  void aWrongKeyEncryptionKeyFailsWithTheKeyTagAndNoKeyMaterial() {
    byte[] otherKek = TestZones.KEK.clone();
    otherKek[0] ^= 1;
    WrappedKeySet keySet = TestZones.wrapped(keys, "e1");

    KeySetException e = assertThrows(KeySetException.class, () -> new KeySetUnwrapper(otherKek).unwrap(keySet));

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
            first.wrappedPrivateKey());
    WrappedKeySet bad = new WrappedKeySet(good.zone(), "e2", good.dnskeyTtl(), List.of(wrongTag, good.keys().get(1)));

    KeySetException e = assertThrows(KeySetException.class, () -> new KeySetUnwrapper(TestZones.KEK).unwrap(bad));

    assertTrue(e.getMessage().contains("has key tag " + first.keyTag()), e.getMessage());
  }

  @Test
  void refusesAnEmptyKeySet() {
    WrappedKeySet empty = new WrappedKeySet("example.test.", "e3", 3600, List.of());

    assertThrows(KeySetException.class, () -> new KeySetUnwrapper(TestZones.KEK).unwrap(empty));
  }
}
