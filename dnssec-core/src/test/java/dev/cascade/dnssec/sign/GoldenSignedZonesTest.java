package dev.cascade.dnssec.sign;

import static dev.cascade.dnssec.sign.ZoneSignerTest.CLOCK;
import static dev.cascade.dnssec.sign.ZoneSignerTest.ORIGIN;
import static dev.cascade.dnssec.sign.ZoneSignerTest.SIGNED_SERIAL;
import static dev.cascade.dnssec.sign.ZoneSignerTest.keys;
import static dev.cascade.dnssec.sign.ZoneSignerTest.policy;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cascade.dnssec.zone.ZoneFileWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The signed output of the corpus of tricky zones ({@link CorpusSigningTest#CORPUS}), compared byte for byte with the
 * files under {@code src/test/resources/zones/golden}: any change in what the signer writes (record order, denial
 * chain, TTLs, signature times, formatting) fails here, so it can only be made on purpose (issue 12: golden signed
 * files). Only deterministic signature algorithms are used, so the same input gives the same bytes: RSASHA256
 * (RSASSA-PKCS1-v1_5, RFC 8017 §8.2), Ed25519 and Ed448 (RFC 8032 §5.1.6, §5.2.6); ECDSA signatures are random.
 * Keys, clock and serial are fixed ({@link ZoneSignerTest}). That the output is correct DNSSEC is shown by
 * {@link CorpusSigningTest}, which runs the same zones through the gate and three validators.
 *
 * <p>After a deliberate change, rewrite the files with
 * {@code ./mvnw -pl dnssec-core test -Dtest=GoldenSignedZonesTest -Dgolden.update=true} and review the diff.
 */
class GoldenSignedZonesTest {

  private static final Path GOLDEN = Path.of("src/test/resources/zones/golden");

  /** One case per denial mechanism, each with another deterministic algorithm and key layout. */
  private static final List<String[]> SIGNINGS = List.of(
      new String[] {"ksk15+zsk15", "NSEC"},
      new String[] {"csk16", "NSEC3"},
      new String[] {"csk8", "NSEC3-OPTOUT"});

  static Stream<Arguments> cases() {
    List<Arguments> cases = new ArrayList<>();
    for (String file : CorpusSigningTest.corpusFiles()) {
      for (String[] signing : SIGNINGS) {
        cases.add(Arguments.of(file, signing[0], signing[1]));
      }
    }
    return cases.stream();
  }

  @ParameterizedTest(name = "{0} signed with {1}, {2}")
  @MethodSource("cases")
  void signedOutputIsTheGoldenFile(String file, String keySet, String denial) throws Exception {
    SignedZone signed = new ZoneSigner(CLOCK, 2).sign(ORIGIN, CorpusSigningTest.parsed(file).records(), keys(keySet),
        3600, policy(denial), SIGNED_SERIAL);
    StringWriter text = new StringWriter();
    ZoneFileWriter.write(signed.records(), text);
    Path golden = GOLDEN.resolve(file.replace(".zone", "") + "." + keySet + "." + denial + ".signed");

    if (Boolean.getBoolean("golden.update")) {
      Files.createDirectories(GOLDEN);
      Files.writeString(golden, text.toString(), StandardCharsets.US_ASCII);
    }
    assertTrue(Files.exists(golden), golden + " is missing: write it with -Dgolden.update=true and review it");
    assertEquals(Files.readString(golden, StandardCharsets.US_ASCII), text.toString(),
        "the signed output of " + file + " changed; if that is meant, rewrite " + golden + " (see the class comment)");
  }
}
