package dev.cascade.dnssec.keys;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.interfaces.RSAPublicKey;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Name;

class KeyAlgorithmTest {

  private static final Name ZONE = Name.fromConstantString("example.test.");

  @Test
  void parsesTheReferenceSyntax() {
    assertEquals(new KeyAlgorithm(Algorithms.ECDSAP256SHA256, 0), KeyAlgorithm.parse("ecdsap256sha256"));
    assertEquals(new KeyAlgorithm(Algorithms.ED448, 0), KeyAlgorithm.parse("ED448"));
    assertEquals(new KeyAlgorithm(Algorithms.RSASHA256, 2048), KeyAlgorithm.parse("RSASHA256"));
    assertEquals(new KeyAlgorithm(Algorithms.RSASHA512, 4096), KeyAlgorithm.parse("RSASHA512:4096"));
    assertEquals(new KeyAlgorithm(Algorithms.RSASHA256, 3072), KeyAlgorithm.parse("8:3072"));
  }

  @Test
  void writesWhatItParses() {
    for (String text : new String[] {"RSASHA256", "RSASHA256:3072", "RSASHA512:4096", "ED448", "ECDSAP384SHA384"}) {
      assertEquals(text, KeyAlgorithm.parse(text).toString());
    }
    assertEquals("RSASHA512", KeyAlgorithm.parse("rsasha512:2048").toString());
  }

  @Test
  void refusesSizesItCannotUse() {
    IllegalArgumentException small = assertThrows(IllegalArgumentException.class,
        () -> KeyAlgorithm.parse("RSASHA256:1024"));
    assertTrue(small.getMessage().contains("2048 to 4096 bits"), small.getMessage());
    assertThrows(IllegalArgumentException.class, () -> KeyAlgorithm.parse("RSASHA256:8192"));
    IllegalArgumentException fixed = assertThrows(IllegalArgumentException.class,
        () -> KeyAlgorithm.parse("ED25519:256"));
    assertTrue(fixed.getMessage().contains("fixed size"), fixed.getMessage());
    IllegalArgumentException word = assertThrows(IllegalArgumentException.class,
        () -> KeyAlgorithm.parse("RSASHA256:big"));
    assertTrue(word.getMessage().contains("number of bits"), word.getMessage());
    assertThrows(IllegalArgumentException.class, () -> KeyAlgorithm.parse("DSA"));
  }

  @Test
  void generatesRsaKeysOfTheAskedSize() throws Exception {
    SigningKey key = KeyGenerator.generate(ZONE, KeyAlgorithm.parse("RSASHA512:3072"), KeyGenerator.FLAGS_SEP, 3600);
    assertEquals(Algorithms.RSASHA512, key.dnskey().getAlgorithm());
    assertEquals(3072, ((RSAPublicKey) key.dnskey().getPublicKey()).getModulus().bitLength());
    SigningKey standard = KeyGenerator.generate(ZONE, Algorithms.RSASHA256, KeyGenerator.FLAGS_ZSK, 3600);
    assertEquals(2048, ((RSAPublicKey) standard.dnskey().getPublicKey()).getModulus().bitLength());
  }
}
