package dev.cascade.dnssec.keys;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cascade.dnssec.sign.SigningPolicy;
import dev.cascade.dnssec.sign.ZoneSigner;
import dev.cascade.dnssec.testsupport.ExternalVerifiers;
import dev.cascade.dnssec.testsupport.LeadingZeroKeys;
import dev.cascade.dnssec.testsupport.LeadingZeroKeys.Part;
import dev.cascade.dnssec.verify.VerificationReport;
import dev.cascade.dnssec.verify.ZoneVerifier;
import dev.cascade.dnssec.zone.ZoneFileParser;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.stream.Stream;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.sec.SECObjectIdentifiers;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.xbill.DNS.DClass;
import org.xbill.DNS.DNSKEYRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;

/**
 * ECDSA keys whose private scalar or one public coordinate starts with a zero octet (issue 12: signzone refused one
 * dnssec-keygen P-256 key in 256). Each is read from BIND key files in BIND's short form, wrapped and unwrapped as
 * the key manager and the signer do, taken by the fastest provider, and signs a zone every validator accepts.
 */
class LeadingZeroKeyTest {
  private static final Name EXAMPLE = Name.fromConstantString("example.");

  static Stream<Arguments> keys() {
    return Stream.of(Algorithms.ECDSAP256SHA256, Algorithms.ECDSAP384SHA384)
        .flatMap(alg -> Stream.of(Part.values()).map(part -> Arguments.of(alg, part)));
  }

  @ParameterizedTest
  @MethodSource("keys")
  void theDnskeyKeepsTheZeroOctet(int algorithm, Part part) {
    SigningKey key = LeadingZeroKeys.key(EXAMPLE, algorithm, part, KeyGenerator.FLAGS_ZSK);
    int size = LeadingZeroKeys.size(algorithm);
    byte[] q = key.dnskey().getKey();
    assertEquals(2 * size, q.length, "x | y, each of the field size (RFC 6605 §4)");
    switch (part) {
      case PRIVATE_SCALAR -> assertTrue(scalar(key.privateKey()).bitLength() <= 8 * (size - 1));
      case PUBLIC_X -> assertEquals(0, q[0]);
      case PUBLIC_Y -> assertEquals(0, q[size]);
    }
  }

  @ParameterizedTest
  @MethodSource("keys")
  void readsBindKeyFilesInBindsShortForm(int algorithm, Part part, @TempDir Path tmp) throws Exception {
    SigningKey key = LeadingZeroKeys.key(EXAMPLE, algorithm, part, KeyGenerator.FLAGS_SEP);
    Path file = LeadingZeroKeys.writeBindFiles(key, tmp);
    if (part == Part.PRIVATE_SCALAR) {
      String field = Files.readAllLines(tmp.resolve(file.getFileName().toString().replace(".key", ".private"))).get(2);
      assertTrue(Base64.getDecoder().decode(field.substring("PrivateKey: ".length())).length
          < LeadingZeroKeys.size(algorithm), field);
    }
    SigningKey read = BindKeyFile.read(file).key();
    assertEquals(key.dnskey(), read.dnskey());
    assertEquals(scalar(key.privateKey()), scalar(read.privateKey()));
    KeysTest.assertSignsAndVerifies(read);
  }

  @ParameterizedTest
  @MethodSource("keys")
  void wrappedKeysRoundTripFromTheKeyManagerToTheSigner(int algorithm, Part part) throws Exception {
    SigningKey key = LeadingZeroKeys.key(EXAMPLE, algorithm, part, KeyGenerator.FLAGS_ZSK);
    SigningKey unwrapped = throughTheBus(key);
    assertEquals(key.dnskey(), unwrapped.dnskey());
    assertEquals(key.keyTag(), unwrapped.keyTag());
    assertEquals(((ECPublicKey) key.dnskey().getPublicKey()).getW(),
        ((ECPublicKey) unwrapped.dnskey().getPublicKey()).getW());
    assertEquals(scalar(key.privateKey()), scalar(unwrapped.privateKey()));
    assertArrayEquals(key.privateKey().getEncoded(), unwrapped.privateKey().getEncoded());
    KeysTest.assertSignsAndVerifies(unwrapped);
  }

  @ParameterizedTest
  @ValueSource(ints = {Algorithms.ECDSAP256SHA256, Algorithms.ECDSAP384SHA384})
  void aPkcs8KeyWithoutTheLeadingZeroOctetUnwraps(int algorithm) throws Exception {
    // RFC 5915 §3 gives the privateKey octet string the length of the order; one written by a coder that drops
    // leading zero octets must still be read.
    SigningKey key = LeadingZeroKeys.key(EXAMPLE, algorithm, Part.PRIVATE_SCALAR, KeyGenerator.FLAGS_ZSK);
    ASN1ObjectIdentifier curve = algorithm == Algorithms.ECDSAP256SHA256 ? SECObjectIdentifiers.secp256r1
        : SECObjectIdentifiers.secp384r1;
    byte[] d = LeadingZeroKeys.withoutLeadingZeros(scalar(key.privateKey()));
    assertTrue(d.length < LeadingZeroKeys.size(algorithm));
    byte[] pkcs8 = new PrivateKeyInfo(new AlgorithmIdentifier(X9ObjectIdentifiers.id_ecPublicKey, curve),
        new DERSequence(new ASN1Encodable[] {new ASN1Integer(1), new DEROctetString(d)})).getEncoded();
    PrivateKey shortForm = new PrivateKey() {
      @Override
      public String getAlgorithm() {
        return "EC";
      }

      @Override
      public String getFormat() {
        return "PKCS#8";
      }

      @Override
      public byte[] getEncoded() {
        return pkcs8.clone();
      }
    };
    KeyWrap wrap = new KeyWrap(KeysTest.KEK);
    PrivateKey back = wrap.unwrap(wrap.wrap(new SigningKey(key.dnskey(), shortForm)), key.dnskey());
    assertEquals(scalar(key.privateKey()), scalar(back));
    KeysTest.assertSignsAndVerifies(new SigningKey(key.dnskey(), back));
  }

  @ParameterizedTest
  @MethodSource("keys")
  void theSigningProviderTakesTheKeys(int algorithm, Part part) throws Exception {
    // The signer and the verification gate re-create keys with this provider's factories (RrsetSigner,
    // ZoneVerifier) and would fall back to the Bouncy Castle key without a word if it refused them. The provider is
    // ACCP where its native library loads (linux-x86_64, as here), else Bouncy Castle.
    SigningKey key = LeadingZeroKeys.key(EXAMPLE, algorithm, part, KeyGenerator.FLAGS_ZSK);
    KeyFactory provider = KeyFactory.getInstance("EC", CryptoProvider.signingProvider(algorithm));
    PrivateKey privateKey = provider.generatePrivate(new PKCS8EncodedKeySpec(key.privateKey().getEncoded()));
    assertEquals(scalar(key.privateKey()), scalar(privateKey));
    ECPublicKey publicKey = (ECPublicKey) provider.generatePublic(
        new X509EncodedKeySpec(key.dnskey().getPublicKey().getEncoded()));
    assertEquals(((ECPublicKey) key.dnskey().getPublicKey()).getW(), publicKey.getW());
  }

  @ParameterizedTest
  @ValueSource(ints = {Algorithms.ECDSAP256SHA256, Algorithms.ECDSAP384SHA384})
  void signAZoneEveryValidatorAccepts(int algorithm, @TempDir Path tmp) throws Exception {
    // The KSK from BIND files in the short form; the two ZSKs through wrapping, as the signer gets them.
    List<SigningKey> keys = new ArrayList<>();
    keys.add(BindKeyFile.read(LeadingZeroKeys.writeBindFiles(
        LeadingZeroKeys.key(EXAMPLE, algorithm, Part.PRIVATE_SCALAR, KeyGenerator.FLAGS_SEP), tmp)).key());
    keys.add(throughTheBus(LeadingZeroKeys.key(EXAMPLE, algorithm, Part.PUBLIC_X, KeyGenerator.FLAGS_ZSK)));
    keys.add(throughTheBus(LeadingZeroKeys.key(EXAMPLE, algorithm, Part.PUBLIC_Y, KeyGenerator.FLAGS_ZSK)));
    List<Record> unsigned = ZoneFileParser.parse(Path.of("src/test/resources/zones/tricky.example.zone"), EXAMPLE)
        .records();
    // As in BindKeyFileTest: a fixed time, and expirations before 2038 (ldns compares RRSIG times as signed 32 bits).
    Instant now = Instant.parse("2026-01-01T00:00:00Z");
    SigningPolicy policy = new SigningPolicy(SigningPolicy.Denial.NSEC, false, 0, null, Duration.ofHours(1),
        Duration.ofDays(3650), Duration.ofDays(3285), Duration.ofHours(12));
    List<Record> signed = new ZoneSigner(Clock.fixed(now, ZoneOffset.UTC), 2)
        .sign(EXAMPLE, unsigned, keys, 3600, policy, 1).records();
    VerificationReport report = ZoneVerifier.verify(EXAMPLE, signed, keys.stream().map(SigningKey::dnskey).toList(),
        now, Duration.ZERO);
    assertTrue(report.ok(), report.problems().toString());
    ExternalVerifiers.assertAllAccept(EXAMPLE, signed, tmp);
  }

  /**
   * The key as the signer gets it from the key manager: the private key wrapped bound to its DNSKEY
   * (ZoneRegistryConsumer), the DNSKEY rebuilt from the announced public key octets (KeySetUnwrapper).
   */
  private static SigningKey throughTheBus(SigningKey key) throws Exception {
    KeyWrap wrap = new KeyWrap(KeysTest.KEK);
    byte[] wrapped = wrap.wrap(key);
    String announced = Base64.getEncoder().encodeToString(key.dnskey().getKey());
    DNSKEYRecord dnskey = new DNSKEYRecord(key.dnskey().getName(), DClass.IN, key.dnskey().getTTL(),
        key.dnskey().getFlags(), DNSKEYRecord.Protocol.DNSSEC, key.algorithm(), Base64.getDecoder().decode(announced));
    return new SigningKey(dnskey, wrap.unwrap(wrapped, dnskey));
  }

  private static BigInteger scalar(PrivateKey key) {
    return ((ECPrivateKey) key).getS();
  }
}
