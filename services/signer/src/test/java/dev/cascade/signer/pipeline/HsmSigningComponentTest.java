package dev.cascade.signer.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cascade.dnssec.keys.KeyAlgorithm;
import dev.cascade.dnssec.keys.KeyGenerator;
import dev.cascade.dnssec.keys.SigningKey;
import dev.cascade.dnssec.pkcs11.Pkcs11Config;
import dev.cascade.dnssec.pkcs11.Pkcs11Token;
import dev.cascade.dnssec.progress.Progress;
import dev.cascade.dnssec.verify.ExpectedKeys;
import dev.cascade.dnssec.verify.VerificationReport;
import dev.cascade.dnssec.verify.VerifiedSignatures;
import dev.cascade.dnssec.verify.ZoneVerifier;
import dev.cascade.dnssec.zone.CanonicalOrder;
import dev.cascade.dnssec.zone.ZoneFileWriter;
import dev.cascade.events.Topics;
import dev.cascade.events.v1.KeyRole;
import dev.cascade.events.v1.KeySetChanged;
import dev.cascade.events.v1.ZoneKey;
import dev.cascade.events.v1.ZoneVersionSigned;
import dev.cascade.testinfra.KafkaResource;
import dev.cascade.testinfra.PostgresResource;
import dev.cascade.testinfra.RegistryResource;
import dev.cascade.testinfra.SoftHsmResource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.io.Writer;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.Record;

/**
 * The running signer with a real SoftHSM2 token configured (test-infra's SoftHsmResource): a key set whose keys the
 * token keeps, announced by their RFC 7512 URIs with no wrapped private key, signs the zone inside the token, and the
 * signed version verifies with Cascade's verifier, dnssec-verify and ldns-verify-zone.
 */
@QuarkusTest
@WithTestResource(value = KafkaResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = PostgresResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = RegistryResource.class, scope = TestResourceScope.GLOBAL)
@TestProfile(HsmSigningComponentTest.WithToken.class)
class HsmSigningComponentTest {

  /**
   * The service with the token's settings: a profile of its own, so Quarkus starts the service again for this class
   * with them (a class-restricted test resource did not reliably do so when the other classes ran first).
   */
  public static class WithToken implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
      return new SoftHsmResource().start();
    }
  }

  @Test
  void aKeySetInTheTokenSignsAZoneThatValidates(@TempDir Path dir) throws Exception {
    String zone = "hsm.test.";
    String versionId = UUID.randomUUID().toString();
    long serial = 2026120701L;
    // The key manager's side: keys generated in the token, announced by URI.
    Pkcs11Token keyManager = Pkcs11Token.open(new Pkcs11Config(Path.of(SoftHsmResource.LIBRARY),
        SoftHsmResource.LABEL, Long.parseLong(SoftHsmResource.slot()), 0, SoftHsmResource.PIN.toCharArray()));
    KeyAlgorithm p256 = KeyAlgorithm.parse("ECDSAP256SHA256");
    List<SigningKey> keys = List.of(
        keyManager.generate(SignerPipelineComponentTest.name(zone), p256, KeyGenerator.FLAGS_SEP, 3600),
        keyManager.generate(SignerPipelineComponentTest.name(zone), p256, KeyGenerator.FLAGS_ZSK, 3600));
    List<ZoneKey> announced = new ArrayList<>();
    for (SigningKey key : keys) {
      announced.add(ZoneKey.newBuilder()
          .setKeyTag(key.keyTag())
          .setAlgorithm(key.algorithm())
          .setFlags(key.dnskey().getFlags())
          .setRole(key.isSep() ? KeyRole.KSK : KeyRole.ZSK)
          .setPublicKey(Base64.getEncoder().encodeToString(key.dnskey().getKey()))
          .setWrappedPrivateKey(ByteBuffer.allocate(0))
          .setPrivateKeyUri(keyManager.uriOf(key.dnskey()).toString())
          .setReference("db:keymanager/" + UUID.randomUUID())
          .setCreatedAt(Instant.now())
          .build());
    }
    KeySetChanged keySet = KeySetChanged.newBuilder().setMetadata(SignerPipelineComponentTest.metadata("keymanager"))
        .setZone(zone).setDnskeyTtl(3600).setKeys(announced).build();

    Bus.send(Topics.ZONE_REGISTRY, zone, SignerPipelineComponentTest.zoneAdded(zone), null);
    Bus.send(Topics.KEY_SETS, zone, keySet, null);
    Bus.send(Topics.UNSIGNED_VERSIONS, zone, SignerPipelineComponentTest.loaded(zone, versionId, serial,
        SignerPipelineComponentTest.writeUnsigned(zone, versionId, serial)), null);
    Bus.send(Topics.ZONE_REVIEWS, zone, SignerPipelineComponentTest.approval(zone, versionId, serial), null);
    ZoneVersionSigned signed =
        (ZoneVersionSigned) SignerPipelineComponentTest.awaitSigned(zone, versionId).value().getFact();

    List<Record> records = SignerPipelineComponentTest.signedRecords(zone, signed).stream()
        .sorted(CanonicalOrder.RECORDS).toList();
    VerificationReport report = ZoneVerifier.verify(SignerPipelineComponentTest.name(zone), records, ExpectedKeys.of(keys),
        Instant.now(), Duration.ofDays(7), VerifiedSignatures.none(), Progress.NONE);
    assertTrue(report.ok(), report.problems().toString());
    Path file = dir.resolve("hsm.test.zone");
    try (Writer out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      ZoneFileWriter.write(records, out);
    }
    assertAccepts(List.of("/usr/bin/dnssec-verify", "-o", zone, file.toString()));
    assertAccepts(List.of("/usr/bin/ldns-verify-zone", file.toString()));
  }

  private static void assertAccepts(List<String> command) throws Exception {
    assertTrue(Files.isExecutable(Path.of(command.get(0))), command.get(0) + " is not installed");
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(process.waitFor(60, TimeUnit.SECONDS), command.get(0) + " timed out");
    assertEquals(0, process.exitValue(), String.join(" ", command) + " refused the zone:\n" + output);
  }
}
