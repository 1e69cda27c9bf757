package dev.cascade.cli.opendnssec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class KaspMappingTest {

  private static Xml fixture(String name) throws IOException {
    return Xml.parse(name, Files.readString(Path.of("src/test/resources/opendnssec", name)));
  }

  @Test
  void theShippedTemplateMapsToTwoPolicies() throws IOException {
    List<KaspMapping.MappedPolicy> policies = KaspMapping.map(fixture("kasp.xml"), Map.of("SoftHSM", "OpenDNSSEC"));
    assertEquals(List.of("default", "lab"), policies.stream().map(KaspMapping.MappedPolicy::name).toList());
    KaspMapping.MappedPolicy d = policies.get(0);
    String expected = """
        # Policy default migrated from OpenDNSSEC by `cascade migrate opendnssec`.
        # A default policy that will amaze you and your friends
        version = "v1"

        [key-manager]
        ksk.validity = "365d"
        zsk.validity = "90d"

        [key-manager.generation]
        algorithm = "RSASHA256:2048"
        use-csk = false
        hsm-server-id = "OpenDNSSEC"

        [key-manager.records]
        ttl = "1h"

        [signer]
        serial-policy = "unix-time"
        signature-inception-offset = "1h"
        signature-lifetime = "2w"
        signature-remain-time = "3d"
        signature-refresh-interval = "2h"

        [signer.denial]
        type = "nsec3"
        opt-out = false
        iterations = 5
        """;
    assertEquals(expected, d.toml());
    assertNull(d.refusal());
    String warnings = String.join("\n", d.warnings());
    // Every setting that does not map is named, none dropped silently.
    for (String unmapped : List.of("ZSK algorithm RSASHA256:1024", "<RetireSafety> PT3600S", "<PublishSafety>",
        "<Purge> P14D", "<Jitter> PT12H", "<MaxZoneTTL> P1D", "NSEC3 salt of length 8", "<PropagationDelay>",
        "SOA: <TTL>", "SOA: <Minimum>", "<Parent>")) {
      assertTrue(warnings.contains(unmapped), unmapped + " missing from:\n" + warnings);
    }
    assertEquals(11, d.warnings().size(), warnings);
  }

  @Test
  void nsecAndTheLabTimes() throws IOException {
    KaspMapping.MappedPolicy lab = KaspMapping.map(fixture("kasp.xml"), Map.of("SoftHSM", "OpenDNSSEC")).get(1);
    assertTrue(lab.toml().contains("zsk.validity = \"4h\""), lab.toml());
    assertTrue(lab.toml().contains("type = \"nsec\"\n"), lab.toml());
    assertTrue(lab.toml().contains("signature-lifetime = \"1h\""), lab.toml());
    assertTrue(lab.toml().contains("signature-refresh-interval = \"10m\""), lab.toml());
    // 1h of validity, refreshed 30m before expiry: Cascade's rule (lifetime > remain + 1h + refresh) refuses it.
    assertTrue(lab.refusal().startsWith("policy lab: signature validity PT1H is not above <Refresh> PT30M"),
        lab.refusal());
  }

  @Test
  void aCskPolicyWithEcdsaAndAnUnknownRepository() {
    Xml kasp = Xml.parse("kasp.xml", """
        <KASP><Policy name="csk"><Signatures><Resign>PT2H</Resign><Refresh>P3D</Refresh>
        <Validity><Default>P14D</Default><Denial>P7D</Denial></Validity><InceptionOffset>PT1H</InceptionOffset>
        </Signatures><Denial><NSEC/></Denial><Keys><TTL>PT1H</TTL>
        <CSK><Algorithm>13</Algorithm><Lifetime>P6M</Lifetime><Repository>hsm2</Repository><ManualRollover/></CSK>
        </Keys></Policy></KASP>""");
    KaspMapping.MappedPolicy p = KaspMapping.map(kasp, Map.of()).get(0);
    assertTrue(p.toml().contains("algorithm = \"ECDSAP256SHA256\"\nuse-csk = true\nhsm-server-id = \"hsm2\""),
        p.toml());
    // Six months of 31 days, as OpenDNSSEC counts a month.
    assertTrue(p.toml().contains("csk.validity = \"186d\""), p.toml());
    String w = String.join("\n", p.warnings());
    assertTrue(w.contains("<Validity><Denial> P7D"), w);
    assertTrue(w.contains("repository hsm2 is not in conf.xml"), w);
    assertTrue(w.contains("<ManualRollover/>"), w);
  }

  @Test
  void anAlgorithmCascadeCannotSignWithIsRefusedByName() {
    Xml kasp = Xml.parse("kasp.xml", """
        <KASP><Policy name="old"><Signatures><Validity><Default>P14D</Default></Validity></Signatures>
        <Denial><NSEC/></Denial><Keys><KSK><Algorithm length="2048">7</Algorithm></KSK>
        <ZSK><Algorithm length="1024">7</Algorithm></ZSK></Keys></Policy></KASP>""");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> KaspMapping.map(kasp, Map.of()));
    assertTrue(e.getMessage().startsWith("policy old: algorithm 7 cannot be signed with"), e.getMessage());
  }

  @Test
  void brokenInputGetsAClearError() {
    assertTrue(assertThrows(IllegalArgumentException.class, () -> Xml.parse("kasp.xml", "<KASP><Policy>"))
        .getMessage().startsWith("kasp.xml: not well-formed XML"));
    assertTrue(assertThrows(IllegalArgumentException.class,
        () -> KaspMapping.map(Xml.parse("kasp.xml", "<ZoneList/>"), Map.of())).getMessage()
        .contains("not a KASP file"));
    assertTrue(assertThrows(IllegalArgumentException.class,
        () -> KaspMapping.map(Xml.parse("kasp.xml", "<KASP><Policy name=\"x\"/></KASP>"), Map.of())).getMessage()
        .contains("<Policy name=\"x\"> has no <Keys>"));
    assertTrue(assertThrows(IllegalArgumentException.class,
        () -> KaspMapping.Iso8601.parse("14 days")).getMessage().contains("not an xsd:duration"));
  }
}
