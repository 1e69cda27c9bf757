package dev.cascade.dnssec.keys;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cascade.dnssec.sign.SigningPolicy;
import dev.cascade.dnssec.sign.ZoneSigner;
import dev.cascade.dnssec.testsupport.ExternalVerifiers;
import dev.cascade.dnssec.zone.ParsedZone;
import dev.cascade.dnssec.zone.ZoneFileParser;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;

/** Reads key pairs written by BIND 9.18's dnssec-keygen (fixtures in {@code bind-keys/}, made once). */
class BindKeyFileTest {
  private static final Path DIR = Path.of("src/test/resources/bind-keys");
  private static final Name EXAMPLE = Name.fromConstantString("example.");

  @ParameterizedTest
  @CsvSource({
      "Kexample.+013+17905, 13, 17905, true",
      "Kexample.+013+41581, 13, 41581, false",
      "Kexample.+013+48391, 13, 48391, false",
      "Kexample.+014+06797, 14, 6797, false",
      "Kexample.+014+44730, 14, 44730, true",
      "Kexample.+015+60064, 15, 60064, false",
      "Kexample.+016+33618, 16, 33618, false",
      "Kexample.+008+22023, 8, 22023, false"})
  void readsEveryAlgorithmDnssecKeygenWrites(String base, int algorithm, int tag, boolean sep) throws Exception {
    for (String name : List.of(base + ".key", base + ".private", base)) {
      BindKeyFile.Loaded loaded = BindKeyFile.read(DIR.resolve(name));
      SigningKey key = loaded.key();
      assertEquals(EXAMPLE, key.dnskey().getName());
      assertEquals(algorithm, key.algorithm());
      assertEquals(tag, key.keyTag(), "the key tag in the file name");
      assertEquals(sep, key.isSep());
      assertNull(loaded.ttl(), "dnssec-keygen writes no TTL unless -L is given");
    }
  }

  /** A KSK and a ZSK; in the last two rows one of them has a short scalar (issue 12). */
  @ParameterizedTest
  @CsvSource({
      "Kexample.+013+17905, Kexample.+013+41581",
      "Kexample.+013+17905, Kexample.+013+48391",
      "Kexample.+014+44730, Kexample.+014+06797"})
  void keysFromBindSignAZoneEveryValidatorAccepts(String ksk, String zsk, @TempDir Path tmp) throws Exception {
    ParsedZone zone = ZoneFileParser.parse(Path.of("src/test/resources/zones/tricky.example.zone"), EXAMPLE);
    List<SigningKey> keys = List.of(BindKeyFile.read(DIR.resolve(ksk + ".key")).key(),
        BindKeyFile.read(DIR.resolve(zsk + ".key")).key());
    // Fixed time with a lifetime that ends before 2038 (ldns compares RRSIG times as signed 32-bit numbers); the
    // long remain time keeps the spread expirations (ZoneSigner spreads them over lifetime - remain time) years ahead.
    Clock clock = Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC);
    SigningPolicy policy = new SigningPolicy(SigningPolicy.Denial.NSEC, false, 0, null, Duration.ofHours(1),
        Duration.ofDays(3650), Duration.ofDays(3285), Duration.ofHours(12));
    List<Record> signed = new ZoneSigner(clock, 2).sign(EXAMPLE, zone.records(), keys, 3600, policy, 1).records();
    ExternalVerifiers.assertAllAccept(EXAMPLE, signed, tmp);
  }

  /**
   * Issue 12: dnssec-keygen writes the ECDSA scalar without its leading zero octet, about one key in 256. These two
   * fixtures, a P-256 ZSK and a P-384 KSK from dnssec-keygen 9.18.49, are such keys, kept from many generated ones.
   */
  @ParameterizedTest
  @CsvSource({"Kexample.+013+48391, 31", "Kexample.+014+44730, 47"})
  void theFixturesOfShortScalarsAreShort(String base, int octets) throws Exception {
    String field = Files.readAllLines(DIR.resolve(base + ".private")).get(2);
    assertEquals(octets, Base64.getDecoder().decode(field.substring("PrivateKey: ".length())).length);
  }

  @Test
  void aTtlInTheKeyFileIsReported(@TempDir Path tmp) throws Exception {
    Path key = copy("Kexample.+013+41581", tmp);
    String text = Files.readString(key).replace("example. IN DNSKEY", "example. 7200 IN DNSKEY");
    Files.writeString(key, text);
    assertEquals(7200L, BindKeyFile.read(key).ttl());
  }

  @Test
  void aMissingPrivateFileIsNamed(@TempDir Path tmp) throws Exception {
    Path key = copy("Kexample.+013+41581", tmp);
    Files.delete(tmp.resolve("Kexample.+013+41581.private"));
    KeyFileException e = assertThrows(KeyFileException.class, () -> BindKeyFile.read(key));
    assertEquals(tmp.resolve("Kexample.+013+41581.private") + ": no such file", e.getMessage());
  }

  @Test
  void anAlgorithmMismatchNamesTheLine(@TempDir Path tmp) throws Exception {
    Path key = copy("Kexample.+013+41581", tmp);
    rewrite(tmp.resolve("Kexample.+013+41581.private"), "Algorithm: 13 (ECDSAP256SHA256)", "Algorithm: 14 (ECDSAP384SHA384)");
    KeyFileException e = assertThrows(KeyFileException.class, () -> BindKeyFile.read(key));
    assertEquals(2, e.line());
    assertTrue(e.reason().contains("differs from the DNSKEY's algorithm 13"), e.reason());
  }

  @Test
  void badBase64NamesTheLine(@TempDir Path tmp) throws Exception {
    Path key = copy("Kexample.+008+22023", tmp);
    Path priv = tmp.resolve("Kexample.+008+22023.private");
    List<String> lines = Files.readAllLines(priv);
    lines.set(4, "PrivateExponent: !!not base64!!");
    Files.write(priv, lines);
    KeyFileException e = assertThrows(KeyFileException.class, () -> BindKeyFile.read(key));
    assertEquals(priv + ":5: PrivateExponent is not valid base64", e.getMessage());
  }

  @Test
  void aPrivateKeyOfAnotherKeyIsRefused(@TempDir Path tmp) throws Exception {
    Path key = copy("Kexample.+013+41581", tmp);
    Files.copy(DIR.resolve("Kexample.+013+17905.private"), tmp.resolve("Kexample.+013+41581.private"),
        java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    KeyFileException e = assertThrows(KeyFileException.class, () -> BindKeyFile.read(key));
    assertTrue(e.reason().startsWith("the private key does not belong to the DNSKEY"), e.reason());
    assertFalse(e.getMessage().contains("/eDVf") || e.getMessage().contains("evZX"), "no key material in messages");
  }

  @Test
  void aMalformedDnskeyNamesItsLine(@TempDir Path tmp) throws Exception {
    Path key = copy("Kexample.+013+41581", tmp);
    rewrite(key, "IN DNSKEY 256 3 13", "IN DNSKEY 256 3 banana");
    KeyFileException e = assertThrows(KeyFileException.class, () -> BindKeyFile.read(key));
    assertEquals(5, e.line(), e.getMessage());
  }

  @Test
  void aTooLongEcdsaScalarIsRefused(@TempDir Path tmp) throws Exception {
    Path key = copy("Kexample.+013+41581", tmp);
    Path priv = tmp.resolve("Kexample.+013+41581.private");
    // The key's own scalar behind a zero octet: the same number, but longer than the field size.
    rewrite(priv, "PrivateKey: /eDVfWOJTtykAfjobdLSOERTttbh91eYMRNW+hQxHOU=",
        "PrivateKey: AP3g1X1jiU7cpAH46G3S0jhEU7bW4fdXmDETVvoUMRzl");
    KeyFileException e = assertThrows(KeyFileException.class, () -> BindKeyFile.read(key));
    assertEquals(priv + ":3: PrivateKey is 33 octets, expected at most 32", e.getMessage());
  }

  @Test
  void anEcdsaScalarOutsideTheGroupIsRefused(@TempDir Path tmp) throws Exception {
    Path key = copy("Kexample.+013+41581", tmp);
    Path priv = tmp.resolve("Kexample.+013+41581.private");
    for (String scalar : List.of("AAAA", "//////////////////////////////////////////8=")) {
      List<String> lines = Files.readAllLines(priv);
      lines.set(2, "PrivateKey: " + scalar);
      Files.write(priv, lines);
      KeyFileException e = assertThrows(KeyFileException.class, () -> BindKeyFile.read(key));
      assertEquals(priv + ":3: PrivateKey is not a scalar from 1 to the curve order - 1 (SEC 1 §3.2.1)",
          e.getMessage());
    }
  }

  @Test
  void anEddsaSeedMustHaveItsFullLength(@TempDir Path tmp) throws Exception {
    Path key = copy("Kexample.+015+60064", tmp);
    Path priv = tmp.resolve("Kexample.+015+60064.private");
    List<String> lines = Files.readAllLines(priv);
    lines.set(2, "PrivateKey: " + Base64.getEncoder().encodeToString(new byte[31]));
    Files.write(priv, lines);
    KeyFileException e = assertThrows(KeyFileException.class, () -> BindKeyFile.read(key));
    assertEquals(priv + ":3: PrivateKey is 31 octets, expected 32", e.getMessage());
  }

  private static Path copy(String base, Path tmp) throws Exception {
    Files.copy(DIR.resolve(base + ".key"), tmp.resolve(base + ".key"));
    Files.copy(DIR.resolve(base + ".private"), tmp.resolve(base + ".private"));
    return tmp.resolve(base + ".key");
  }

  private static void rewrite(Path file, String from, String to) throws Exception {
    String text = Files.readString(file, StandardCharsets.US_ASCII);
    assertTrue(text.contains(from), from);
    Files.writeString(file, text.replace(from, to), StandardCharsets.US_ASCII);
  }
}
