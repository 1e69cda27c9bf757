package dev.cascade.signer.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cascade.dnssec.pkcs11.Pkcs11Token;
import dev.cascade.dnssec.pkcs11.Pkcs11Uri;
import dev.cascade.dnssec.zone.CanonicalOrder;
import dev.cascade.dnssec.zone.ZoneFileWriter;
import dev.cascade.events.Topics;
import dev.cascade.events.v1.KeyRole;
import dev.cascade.events.v1.KeySetChanged;
import dev.cascade.events.v1.ZoneKey;
import dev.cascade.events.v1.ZoneVersionSigned;
import dev.cascade.testinfra.KafkaResource;
import dev.cascade.testinfra.OpenDnssec;
import dev.cascade.testinfra.PostgresResource;
import dev.cascade.testinfra.RegistryResource;
import dev.cascade.testinfra.SoftHsmResource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import java.io.IOException;
import java.io.Writer;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.DNSKEYRecord;
import org.xbill.DNS.DNSSEC;
import org.xbill.DNS.DSRecord;
import org.xbill.DNS.Master;
import org.xbill.DNS.RRSIGRecord;
import org.xbill.DNS.Record;

/**
 * A zone signed by a real OpenDNSSEC 2.1 (test-infra {@link OpenDnssec}: ods-enforcerd and ods-signerd from Debian,
 * run in a temporary directory) with its keys in the SoftHSM2 token the signer uses, then taken over the way {@code cascade migrate opendnssec}
 * does it: a holder certificate beside each of OpenDNSSEC's private keys (pkcs11-tool), the keys announced by RFC
 * 7512 URIs made from OpenDNSSEC's locators (its CKA_IDs). The zone Cascade signs must validate under the DS made from
 * OpenDNSSEC's KSK (ldns-verify-zone with the DS as trust anchor, dnssec-verify), with the same key tags: the DS at
 * the parent stays valid and no new KSK is made.
 */
@QuarkusTest
@WithTestResource(value = KafkaResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = PostgresResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = RegistryResource.class, scope = TestResourceScope.GLOBAL)
@TestProfile(HsmSigningComponentTest.WithToken.class)
class OpenDnssecTakeoverComponentTest {
  private static final String ZONE = "ods-takeover.test.";
  private static final String PKCS11_TOOL = "/usr/bin/pkcs11-tool";

  @Test
  void theZoneCascadeSignsWithOpenDnssecsKeysValidatesUnderTheSameDs(@TempDir Path dir) throws Exception {
    SoftHsmResource.slot();
    Path signedByOds;
    List<String[]> keyList;
    try (OpenDnssec ods = new OpenDnssec(dir.resolve("ods"), ZONE.substring(0, ZONE.length() - 1))) {
      keyList = ods.startEnforcer();
      signedByOds = ods.startSigner();
    }
    List<Record> odsRecords = read(signedByOds);
    List<DNSKEYRecord> dnskeys = odsRecords.stream().filter(r -> r instanceof DNSKEYRecord)
        .map(r -> (DNSKEYRecord) r).toList();
    assertEquals(2, dnskeys.size(), "OpenDNSSEC published " + dnskeys);
    DNSKEYRecord ksk = dnskeys.stream().filter(k -> k.getFlags() == 257).findFirst().orElseThrow();
    Path trustAnchor = dir.resolve("ds");
    Files.writeString(trustAnchor, new DSRecord(ksk.getName(), ksk.getDClass(), 3600, DNSSEC.Digest.SHA256, ksk)
        + "\n");
    assertAccepts(List.of("/usr/bin/ldns-verify-zone", "-k", trustAnchor.toString(), signedByOds.toString()));

    // The takeover: each key by its locator, as `ods-enforcer key list --verbose` gives it (CKA_ID in hex).
    Map<Integer, String> locators = new HashMap<>();
    for (String[] row : keyList) {
      locators.put(Integer.parseInt(row[row.length - 1]), row[row.length - 3]);
    }
    List<ZoneKey> announced = new ArrayList<>();
    for (DNSKEYRecord k : dnskeys) {
      String locator = locators.get(k.getFootprint());
      adopt(k, locator);
      Pkcs11Uri uri = new Pkcs11Uri(SoftHsmResource.LABEL, HexFormat.of().parseHex(locator));
      announced.add(ZoneKey.newBuilder()
          .setKeyTag(k.getFootprint())
          .setAlgorithm(k.getAlgorithm())
          .setFlags(k.getFlags())
          .setRole(k.getFlags() == 257 ? KeyRole.KSK : KeyRole.ZSK)
          .setPublicKey(Base64.getEncoder().encodeToString(k.getKey()))
          .setWrappedPrivateKey(ByteBuffer.allocate(0))
          .setPrivateKeyUri(uri.toString())
          .setReference("db:keymanager/" + UUID.randomUUID())
          .setCreatedAt(Instant.now())
          .build());
    }
    String versionId = UUID.randomUUID().toString();
    long serial = 2026120801L;
    Bus.send(Topics.ZONE_REGISTRY, ZONE, SignerPipelineComponentTest.zoneAdded(ZONE), null);
    Bus.send(Topics.KEY_SETS, ZONE, KeySetChanged.newBuilder().setMetadata(SignerPipelineComponentTest.metadata("keymanager"))
        .setZone(ZONE).setDnskeyTtl(3600).setKeys(announced).build(), null);
    Bus.send(Topics.UNSIGNED_VERSIONS, ZONE, SignerPipelineComponentTest.loaded(ZONE, versionId, serial,
        SignerPipelineComponentTest.writeUnsigned(ZONE, versionId, serial)), null);
    Bus.send(Topics.ZONE_REVIEWS, ZONE, SignerPipelineComponentTest.approval(ZONE, versionId, serial), null);
    ZoneVersionSigned signed = (ZoneVersionSigned) SignerPipelineComponentTest.awaitSigned(ZONE, versionId).value().getFact();

    List<Record> records = SignerPipelineComponentTest.signedRecords(ZONE, signed).stream()
        .sorted(CanonicalOrder.RECORDS).toList();
    Set<Integer> odsTags =
        dnskeys.stream().map(DNSKEYRecord::getFootprint).collect(Collectors.toCollection(TreeSet::new));
    assertEquals(odsTags, records.stream().filter(r -> r instanceof DNSKEYRecord)
        .map(r -> ((DNSKEYRecord) r).getFootprint()).collect(Collectors.toCollection(TreeSet::new)),
        "Cascade's DNSKEY RRset is OpenDNSSEC's: no new key");
    assertEquals(odsTags, records.stream().filter(r -> r instanceof RRSIGRecord)
        .map(r -> ((RRSIGRecord) r).getFootprint()).collect(Collectors.toCollection(TreeSet::new)),
        "Cascade signs with OpenDNSSEC's keys");
    Path file = dir.resolve("cascade.zone");
    try (Writer out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      ZoneFileWriter.write(records, out);
    }
    assertAccepts(List.of("/usr/bin/ldns-verify-zone", "-k", trustAnchor.toString(), file.toString()));
    assertAccepts(List.of("/usr/bin/dnssec-verify", "-o", ZONE, file.toString()));
  }

  /** What `cascade migrate opendnssec` does for each key: a holder certificate under the key's CKA_ID. */
  private static void adopt(DNSKEYRecord dnskey, String locator) throws Exception {
    Path der = Files.createTempFile("holder", ".der");
    Files.write(der, Pkcs11Token.adoptionCertificate(dnskey));
    ProcessBuilder pb = new ProcessBuilder(PKCS11_TOOL, "--module", SoftHsmResource.LIBRARY, "--token-label",
        SoftHsmResource.LABEL, "--login", "--pin", "env:TOKEN_PIN", "--write-object", der.toString(), "--type",
        "cert", "--id", locator, "--label", locator).redirectErrorStream(true);
    pb.environment().put("TOKEN_PIN", SoftHsmResource.PIN);
    Process p = pb.start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(60, TimeUnit.SECONDS), "pkcs11-tool timed out");
    assertEquals(0, p.exitValue(), "pkcs11-tool failed:\n" + output);
  }

  private static List<Record> read(Path zoneFile) throws IOException {
    List<Record> records = new ArrayList<>();
    try (Master master = new Master(zoneFile.toString())) {
      for (Record r = master.nextRecord(); r != null; r = master.nextRecord()) {
        records.add(r);
      }
    }
    return records;
  }

  private static void assertAccepts(List<String> command) throws Exception {
    assertTrue(Files.isExecutable(Path.of(command.get(0))), command.get(0) + " is not installed");
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(process.waitFor(60, TimeUnit.SECONDS), command.get(0) + " timed out");
    assertEquals(0, process.exitValue(), String.join(" ", command) + " refused the zone:\n" + output);
  }
}
