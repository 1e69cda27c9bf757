package dev.cascade.dnssec.keys;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cascade.dnssec.testsupport.TestKeys;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.PrivateKey;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.DNSKEYRecord;
import org.xbill.DNS.DNSSEC;
import org.xbill.DNS.Name;
import org.xbill.DNS.RRSIGRecord;
import org.xbill.DNS.RRset;

class KeysTest {
  static final Name ZONE = Name.fromConstantString("example.");
  static final byte[] KEK = new byte[32];

  static {
    for (int i = 0; i < KEK.length; i++) {
      KEK[i] = (byte) i;
    }
  }

  static RRset rrset() throws Exception {
    return new RRset(new ARecord(Name.fromConstantString("www.example."), DClass.IN, 300,
        InetAddress.getByAddress(new byte[] {(byte) 192, 0, 2, 1})));
  }

  /** Signs and verifies one RRset: the key pair and the chosen provider work together. */
  static void assertSignsAndVerifies(SigningKey key) throws Exception {
    Instant now = Instant.parse("2026-01-01T00:00:00Z");
    RRset rrset = rrset();
    RRSIGRecord sig = DNSSEC.sign(rrset, key.dnskey(), key.privateKey(), now, now.plusSeconds(3600),
        CryptoProvider.signingProvider(key.algorithm()));
    DNSSEC.verify(rrset, sig, key.dnskey(), now.plusSeconds(1));
  }

  @ParameterizedTest
  @ValueSource(ints = {13, 14, 15, 16})
  void generatesWorkingKeys(int algorithm) throws Exception {
    SigningKey ksk = KeyGenerator.generate(ZONE, algorithm, 257, 3600);
    SigningKey zsk = KeyGenerator.generate(ZONE, algorithm, 256, 7200);
    assertTrue(ksk.isSep());
    assertFalse(zsk.isSep());
    assertEquals(algorithm, ksk.algorithm());
    assertEquals(3600, ksk.dnskey().getTTL());
    assertEquals(ZONE, zsk.dnskey().getName());
    assertEquals(ksk.dnskey().getFootprint(), ksk.keyTag());
    assertSignsAndVerifies(ksk);
    assertSignsAndVerifies(zsk);
    assertFalse(ksk.toString().contains(ksk.privateKey().toString()), "toString must not show the private key");
  }

  @Test
  void rsaKeysAre2048Bits() throws Exception {
    // Generation takes a few hundred milliseconds, so RSA is generated once; csk8/csk10 cover signing.
    SigningKey rsa = KeyGenerator.generate(ZONE, Algorithms.RSASHA256, 257, 3600);
    assertEquals(2048, ((java.security.interfaces.RSAPrivateKey) rsa.privateKey()).getModulus().bitLength());
    assertSignsAndVerifies(rsa);
    assertSignsAndVerifies(TestKeys.load("csk10"));
  }

  @Test
  void refusesUnsupportedAlgorithmsAndFlags() {
    assertThrows(IllegalArgumentException.class, () -> KeyGenerator.generate(ZONE, 5, 257, 3600));
    assertThrows(IllegalArgumentException.class, () -> KeyGenerator.generate(ZONE, 13, 385, 3600));
  }

  @ParameterizedTest
  @ValueSource(strings = {"ksk13", "csk14", "zsk15", "csk16", "csk8", "csk10"})
  void wrapUnwrapRoundTrip(String name) throws Exception {
    SigningKey key = TestKeys.load(name);
    KeyWrap wrap = new KeyWrap(KEK);
    byte[] wrapped = wrap.wrap(key);
    PrivateKey back = wrap.unwrap(wrapped, key.dnskey());
    assertArrayEquals(key.privateKey().getEncoded(), back.getEncoded());
    assertSignsAndVerifies(new SigningKey(key.dnskey(), back));
    assertEquals(Optional.of(KeyWrap.idOf(KEK)), KeyWrap.kekIdOf(wrapped));
    assertTrue(wrap.wrappedByCurrent(wrapped));
    assertNotEquals(new String(wrapped, StandardCharsets.ISO_8859_1),
        new String(wrap.wrap(key), StandardCharsets.ISO_8859_1), "a fresh random IV each time");
  }

  @Test
  void aWrappedKeyIsBoundToItsZoneItsPublicKeyAndItsKek() {
    SigningKey key = TestKeys.load("ksk13");
    KeyWrap wrap = new KeyWrap(KEK);
    byte[] wrapped = wrap.wrap(key);
    DNSKEYRecord dnskey = key.dnskey();

    DNSKEYRecord otherZone = new DNSKEYRecord(Name.fromConstantString("other.test."), DClass.IN, dnskey.getTTL(),
        dnskey.getFlags(), dnskey.getProtocol(), dnskey.getAlgorithm(), dnskey.getKey());
    assertThrows(IllegalArgumentException.class, () -> wrap.unwrap(wrapped, otherZone), "bound to the zone");
    DNSKEYRecord otherKey = TestKeys.load("zsk13").dnskey();
    assertThrows(IllegalArgumentException.class, () -> wrap.unwrap(wrapped, otherKey), "bound to the public key");
    DNSKEYRecord revoked = new DNSKEYRecord(dnskey.getName(), DClass.IN, dnskey.getTTL(), dnskey.getFlags() | 0x80,
        dnskey.getProtocol(), dnskey.getAlgorithm(), dnskey.getKey());
    assertArrayEquals(key.privateKey().getEncoded(), wrap.unwrap(wrapped, revoked).getEncoded(),
        "not bound to the flags: a revoked key keeps its private half");
    DNSKEYRecord upperCase = new DNSKEYRecord(Name.fromConstantString(dnskey.getName().toString().toUpperCase()),
        DClass.IN, dnskey.getTTL(), dnskey.getFlags(), dnskey.getProtocol(), dnskey.getAlgorithm(), dnskey.getKey());
    assertArrayEquals(key.privateKey().getEncoded(), wrap.unwrap(wrapped, upperCase).getEncoded(),
        "the zone compared as DNS names compare, without case");

    byte[] otherKek = KEK.clone();
    otherKek[0] ^= 1;
    IllegalArgumentException unknown =
        assertThrows(IllegalArgumentException.class, () -> new KeyWrap(otherKek).unwrap(wrapped, dnskey));
    assertTrue(unknown.getMessage().contains(KeyWrap.idOf(KEK) + ", which is not configured"), unknown.getMessage());
    byte[] damaged = wrapped.clone();
    damaged[damaged.length - 1] ^= 1;
    assertThrows(IllegalArgumentException.class, () -> wrap.unwrap(damaged, dnskey));
    assertThrows(IllegalArgumentException.class, () -> new KeyWrap(new byte[16]));
  }

  @Test
  void aRotatedKekUnwrapsKeysWrappedUnderThePreviousOneAndWrapsUnderTheNewOne() {
    SigningKey key = TestKeys.load("csk16");
    byte[] newKek = KEK.clone();
    newKek[31] ^= 0x55;
    byte[] underOld = new KeyWrap(KEK).wrap(key);
    KeyWrap rotating = new KeyWrap(newKek, List.of(KEK));

    assertFalse(rotating.wrappedByCurrent(underOld));
    assertArrayEquals(key.privateKey().getEncoded(), rotating.unwrap(underOld, key.dnskey()).getEncoded());
    byte[] again = rotating.wrap(new SigningKey(key.dnskey(), rotating.unwrap(underOld, key.dnskey())));
    assertTrue(rotating.wrappedByCurrent(again));
    assertEquals(Optional.of(KeyWrap.idOf(newKek)), KeyWrap.kekIdOf(again));
    assertArrayEquals(key.privateKey().getEncoded(), new KeyWrap(newKek).unwrap(again, key.dnskey()).getEncoded(),
        "once wrapped again, the previous KEK is no longer needed");
    assertThrows(IllegalArgumentException.class, () -> new KeyWrap(newKek).unwrap(underOld, key.dnskey()));
  }

  /** A key wrapped before KEKs had ids: AES-256-GCM, IV first, the algorithm number as additional data. */
  @Test
  void aKeyWrappedBeforeKeksHadIdsIsStillUnwrappedAndCountsAsToBeWrappedAgain() throws Exception {
    SigningKey key = TestKeys.load("ksk13");
    byte[] iv = new byte[12];
    iv[0] = 7;
    Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
    cipher.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(KEK, "AES"), new GCMParameterSpec(128, iv));
    cipher.updateAAD(new byte[] {13});
    byte[] sealed = cipher.doFinal(key.privateKey().getEncoded());
    byte[] legacy = ByteBuffer.allocate(iv.length + sealed.length).put(iv).put(sealed).array();
    byte[] newKek = KEK.clone();
    newKek[5] ^= 1;
    KeyWrap rotating = new KeyWrap(newKek, List.of(KEK));

    assertEquals(Optional.empty(), KeyWrap.kekIdOf(legacy));
    assertFalse(rotating.wrappedByCurrent(legacy));
    assertArrayEquals(key.privateKey().getEncoded(), rotating.unwrap(legacy, key.dnskey()).getEncoded());
    assertThrows(IllegalArgumentException.class, () -> rotating.unwrap(legacy, TestKeys.load("csk14").dnskey()),
        "the algorithm was bound then too");
  }

  @Test
  void mnemonicsFollowRfc8624() {
    assertEquals(8, Algorithms.fromMnemonic("RSASHA256"));
    assertEquals(10, Algorithms.fromMnemonic("rsasha512"));
    assertEquals(13, Algorithms.fromMnemonic("ECDSAP256SHA256"));
    assertEquals(14, Algorithms.fromMnemonic("ECDSAP384SHA384"));
    assertEquals(15, Algorithms.fromMnemonic("ED25519"));
    assertEquals(16, Algorithms.fromMnemonic("Ed448"));
    assertEquals(13, Algorithms.fromMnemonic("13"));
    assertEquals("ECDSAP256SHA256", Algorithms.mnemonic(13));
    assertThrows(IllegalArgumentException.class, () -> Algorithms.fromMnemonic("RSASHA1"));
    assertThrows(IllegalArgumentException.class, () -> Algorithms.mnemonic(5));
  }

  @Test
  void providerIsNeverSunEc() {
    assertTrue(List.of(CryptoProvider.ACCP, CryptoProvider.BC).contains(CryptoProvider.signingProvider()));
    for (int alg : List.of(8, 10, 13, 14, 15, 16)) {
      String provider = CryptoProvider.signingProvider(alg);
      assertTrue(List.of(CryptoProvider.ACCP, CryptoProvider.BC).contains(provider), alg + " -> " + provider);
    }
    assertThrows(IllegalArgumentException.class, () -> CryptoProvider.signingProvider(5));
  }
}
