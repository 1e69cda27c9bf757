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
 * A zone signed by a real OpenDNSSEC 2.1 (ods-enforcerd and ods-signerd from Debian, run in a temporary directory)
 * with its keys in the SoftHSM2 token the signer uses, then taken over the way {@code cascade migrate opendnssec}
 * does it: a holder certificate beside each of OpenDNSSEC's private keys (pkcs11-tool), the keys announced by RFC
 * 7512 URIs made from OpenDNSSEC's locators (its CKA_IDs). The zone Cascade signs must validate under the DS made from
 * OpenDNSSEC's KSK (ldns-verify-zone with the DS as trust anchor, dnssec-verify), with the same key tags: the DS at
 * the parent stays valid and no new KSK is made.
 */
@QuarkusTest
@WithTestResource(value = KafkaResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = PostgresResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = RegistryResource.class, scope = TestResourceScope.GLOBAL)
@TestProfile(HsmSigningTest.WithToken.class)
class OpenDnssecTakeoverTest {
  private static final String ZONE = "ods-takeover.test.";
  private static final String PKCS11_TOOL = "/usr/bin/pkcs11-tool";

  @Test
  void theZoneCascadeSignsWithOpenDnssecsKeysValidatesUnderTheSameDs(@TempDir Path dir) throws Exception {
    SoftHsmResource.slot();
    Path signedByOds;
    List<String[]> keyList;
    List<Process> daemons = new ArrayList<>();
    try {
      Ods ods = new Ods(dir);
      daemons.add(ods.start("ods-enforcerd"));
      ods.awaitSocket();
      ods.enforcer("policy", "import");
      ods.enforcer("zonelist", "import");
      keyList = ods.awaitKeys();
      daemons.add(ods.start("ods-signerd"));
      signedByOds = ods.awaitSigned();
    } finally {
      // The enforcer ignores SIGTERM while its workers wait; a daemon of this test only, killed by its own handle.
      for (Process p : daemons) {
        p.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
      }
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
    Bus.send(Topics.ZONE_REGISTRY, ZONE, SignerPipelineTest.zoneAdded(ZONE), null);
    Bus.send(Topics.KEY_SETS, ZONE, KeySetChanged.newBuilder().setMetadata(SignerPipelineTest.metadata("keymanager"))
        .setZone(ZONE).setDnskeyTtl(3600).setKeys(announced).build(), null);
    Bus.send(Topics.UNSIGNED_VERSIONS, ZONE, SignerPipelineTest.loaded(ZONE, versionId, serial,
        SignerPipelineTest.writeUnsigned(ZONE, versionId, serial)), null);
    Bus.send(Topics.ZONE_REVIEWS, ZONE, SignerPipelineTest.approval(ZONE, versionId, serial), null);
    ZoneVersionSigned signed = (ZoneVersionSigned) SignerPipelineTest.awaitSigned(ZONE, versionId).value().getFact();

    List<Record> records = SignerPipelineTest.signedRecords(ZONE, signed).stream()
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
    run(pb, PKCS11_TOOL);
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

  private static String run(ProcessBuilder pb, String what) throws Exception {
    Process p = pb.redirectErrorStream(true).start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(60, TimeUnit.SECONDS), what + " timed out");
    assertEquals(0, p.exitValue(), what + " failed:\n" + output);
    return output;
  }

  /**
   * OpenDNSSEC in a temporary directory: its conf.xml points every path there, except ods-signerd's pid file and
   * control socket, which OpenDNSSEC 2.1 fixes at /run/opendnssec (conf.rnc has no setting for them). The token is
   * the signer's (SoftHsmResource, SOFTHSM2_CONF inherited). The enforcer's SQLite schema is OpenDNSSEC's own
   * (/usr/share/opendnssec/schema.sqlite) with the version row ods-enforcer-db-setup adds, since that tool reads
   * /etc/opendnssec/conf.xml only.
   */
  private static final class Ods {
    private final Path dir;
    private final Path conf;
    private final Path socket;

    Ods(Path dir) throws Exception {
      this.dir = dir;
      this.conf = dir.resolve("conf.xml");
      this.socket = dir.resolve("enforcer.sock");
      Files.createDirectories(dir.resolve("enforcer"));
      Files.createDirectories(dir.resolve("signer"));
      Files.createDirectories(dir.resolve("signed"));
      Files.createDirectories(Path.of("/run/opendnssec"));
      Files.writeString(conf, """
          <?xml version="1.0" encoding="UTF-8"?>
          <Configuration>
            <RepositoryList>
              <Repository name="SoftHSM">
                <Module>%s</Module><TokenLabel>%s</TokenLabel><PIN>%s</PIN>
              </Repository>
            </RepositoryList>
            <Common><Logging><Verbosity>3</Verbosity></Logging>
              <PolicyFile>%s/kasp.xml</PolicyFile><ZoneListFile>%s/zonelist.xml</ZoneListFile></Common>
            <Enforcer>
              <Datastore><SQLite>%s/kasp.db</SQLite></Datastore>
              <AutomaticKeyGenerationPeriod>P1D</AutomaticKeyGenerationPeriod>
              <PidFile>%s/enforcerd.pid</PidFile><SocketFile>%s</SocketFile>
              <WorkingDirectory>%s/enforcer</WorkingDirectory>
            </Enforcer>
            <Signer><WorkingDirectory>%s/signer</WorkingDirectory><WorkerThreads>1</WorkerThreads>
              <SignerThreads>1</SignerThreads></Signer>
          </Configuration>
          """.formatted(SoftHsmResource.LIBRARY, SoftHsmResource.LABEL, SoftHsmResource.PIN, dir, dir, dir, dir,
          socket, dir, dir));
      // OpenDNSSEC's shipped default policy with ECDSAP256SHA256 keys (fast to make in SoftHSM) and NSEC.
      Files.writeString(dir.resolve("kasp.xml"), """
          <?xml version="1.0" encoding="UTF-8"?>
          <KASP><Policy name="default"><Description>takeover test</Description>
            <Signatures><Resign>PT2H</Resign><Refresh>P3D</Refresh>
              <Validity><Default>P14D</Default><Denial>P14D</Denial></Validity>
              <Jitter>PT12H</Jitter><InceptionOffset>PT3600S</InceptionOffset><MaxZoneTTL>P1D</MaxZoneTTL></Signatures>
            <Denial><NSEC/></Denial>
            <Keys><TTL>PT3600S</TTL><RetireSafety>PT3600S</RetireSafety><PublishSafety>PT3600S</PublishSafety>
              <Purge>P14D</Purge>
              <KSK><Algorithm length="256">13</Algorithm><Lifetime>P1Y</Lifetime>
                <Repository>SoftHSM</Repository></KSK>
              <ZSK><Algorithm length="256">13</Algorithm><Lifetime>P90D</Lifetime>
                <Repository>SoftHSM</Repository></ZSK></Keys>
            <Zone><PropagationDelay>PT43200S</PropagationDelay>
              <SOA><TTL>PT3600S</TTL><Minimum>PT3600S</Minimum><Serial>unixtime</Serial></SOA></Zone>
            <Parent><PropagationDelay>PT9999S</PropagationDelay><DS><TTL>PT3600S</TTL></DS>
              <SOA><TTL>PT172800S</TTL><Minimum>PT10800S</Minimum></SOA></Parent>
          </Policy></KASP>
          """);
      Files.writeString(dir.resolve("zonelist.xml"), """
          <?xml version="1.0" encoding="UTF-8"?>
          <ZoneList><Zone name="%s"><Policy>default</Policy>
            <SignerConfiguration>%s/signconf.xml</SignerConfiguration>
            <Adapters><Input><Adapter type="File">%s/unsigned</Adapter></Input>
              <Output><Adapter type="File">%s/signed/zone</Adapter></Output></Adapters>
          </Zone></ZoneList>
          """.formatted(ZONE.substring(0, ZONE.length() - 1), dir, dir, dir));
      Files.writeString(dir.resolve("unsigned"), """
          $TTL 300
          %1$s 300 IN SOA ns1.%1$s hostmaster.%1$s 1 3600 900 604800 300
          %1$s 300 IN NS ns1.%1$s
          ns1.%1$s 300 IN A 192.0.2.1
          www.%1$s 300 IN A 192.0.2.2
          """.formatted(ZONE));
      String schema = Files.readString(Path.of("/usr/share/opendnssec/schema.sqlite"))
          + "\nINSERT INTO databaseVersion (version) VALUES (1);\n";
      ProcessBuilder sqlite = new ProcessBuilder("sqlite3", dir.resolve("kasp.db").toString());
      Process p = sqlite.redirectErrorStream(true).start();
      p.getOutputStream().write(schema.getBytes(StandardCharsets.UTF_8));
      p.getOutputStream().close();
      String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertTrue(p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0, "sqlite3 failed:\n" + output);
    }

    Process start(String daemon) throws IOException {
      return new ProcessBuilder(daemon, "-c", conf.toString(), "-d")
          .redirectErrorStream(true).redirectOutput(dir.resolve(daemon + ".log").toFile()).start();
    }

    void awaitSocket() throws Exception {
      for (int i = 0; i < 100 && !Files.exists(socket); i++) {
        Thread.sleep(100);
      }
      assertTrue(Files.exists(socket), "ods-enforcerd made no socket:\n" + log("ods-enforcerd"));
    }

    String enforcer(String... args) throws Exception {
      List<String> cmd = new ArrayList<>(List.of("ods-enforcer", "-s", socket.toString()));
      cmd.addAll(List.of(args));
      return run(new ProcessBuilder(cmd), String.join(" ", cmd));
    }

    /** The rows of `key list --verbose` once the zone's KSK and ZSK are published. */
    List<String[]> awaitKeys() throws Exception {
      for (int i = 0; i < 120; i++) {
        List<String[]> rows = enforcer("key", "list", "--verbose", "--all").lines()
            .map(l -> l.trim().split("\\s+")).filter(f -> f.length >= 8 && f[0].startsWith("ods-takeover"))
            .toList();
        if (rows.size() == 2 && Files.exists(dir.resolve("signconf.xml"))) {
          return rows;
        }
        Thread.sleep(500);
      }
      throw new AssertionError("the enforcer made no keys:\n" + log("ods-enforcerd"));
    }

    Path awaitSigned() throws Exception {
      Path signed = dir.resolve("signed/zone");
      for (int i = 0; i < 120 && !Files.exists(signed); i++) {
        Thread.sleep(500);
      }
      assertTrue(Files.exists(signed), "ods-signerd wrote no signed zone:\n" + log("ods-signerd"));
      // The signer writes the file whole, but give it the moment it takes to close it.
      Thread.sleep(500);
      return signed;
    }

    private String log(String daemon) throws IOException {
      Path log = dir.resolve(daemon + ".log");
      return Files.exists(log) ? Files.readString(log) : "";
    }
  }
}
