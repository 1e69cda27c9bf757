package dev.cascade.reviewgateway.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cascade.dnssec.parent.CdsPublication;
import dev.cascade.dnssec.parent.DsDigest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class PolicyParserTest {

  private static final Path SHIPPED = Path.of("../../policies");

  @Test
  void versionAloneGivesTheReferenceDefaults() throws Exception {
    Policy p = PolicyParser.parse("minimal", "minimal.toml", "version = \"v1\"\n");
    assertEquals("minimal", p.name());
    assertEquals(GateMode.OFF, p.unsignedReview());
    assertEquals(GateMode.OFF, p.signedReview());
    assertEquals("ECDSAP256SHA256", p.algorithm());
    assertFalse(p.useCsk());
    assertEquals(Duration.ofDays(365), p.kskValidity());
    assertEquals(Duration.ofDays(30), p.zskValidity());
    assertEquals(Duration.ofDays(365), p.cskValidity());
    assertEquals(RollMethod.KSK_DOUBLE_SIGNATURE, p.keyRolls().kskRollType());
    assertEquals(RollMethod.ZSK_PRE_PUBLISH, p.keyRolls().zskRollType());
    assertEquals(RollAutomation.ALL, p.keyRolls().ksk());
    assertEquals(RollAutomation.ALL, p.keyRolls().algorithm());
    assertEquals(Duration.ofHours(1), p.dnskeyTtl());
    assertEquals(SerialPolicy.UNIX_TIME, p.serialPolicy());
    assertEquals(Duration.ofDays(1), p.signatureInceptionOffset());
    assertEquals(Duration.ofDays(14), p.signatureLifetime());
    assertEquals(Duration.ofDays(7), p.signatureRemainTime());
    assertEquals(Duration.ofHours(12), p.signatureRefreshInterval());
    assertEquals(DenialType.NSEC, p.denial());
    assertEquals(0, p.nsec3Iterations());
    assertEquals("", p.nsec3Salt());
  }

  @Test
  void shippedDefaultPolicyHasBothReviewsOff() throws Exception {
    Path file = SHIPPED.resolve("default.toml");
    Policy p = PolicyParser.parse("default", file.toString(), Files.readString(file));
    assertEquals(GateMode.OFF, p.unsignedReview());
    assertEquals(GateMode.OFF, p.signedReview());
    assertEquals("ECDSAP256SHA256", p.algorithm());
    assertFalse(p.useCsk());
    assertEquals(SerialPolicy.UNIX_TIME, p.serialPolicy());
  }

  @Test
  void shippedReviewPolicyHasBothReviewsManual() throws Exception {
    Path file = SHIPPED.resolve("review.toml");
    Policy p = PolicyParser.parse("review", file.toString(), Files.readString(file));
    assertEquals(GateMode.MANUAL, p.unsignedReview());
    assertEquals(GateMode.MANUAL, p.signedReview());
    assertEquals(Duration.ofDays(14), p.signatureLifetime());
  }

  @Test
  void everyKeyIsRead() throws Exception {
    String text = """
        version = "v1"
        [loader.review]
        mode = "manual"
        [key-manager]
        ksk.validity = 86400
        zsk.validity = "2w"
        [key-manager.records]
        ttl = "5m"
        [key-manager.generation]
        algorithm = "ed25519"
        use-csk = true
        [signer]
        serial-policy = "date-counter"
        signature-inception-offset = "2h"
        signature-lifetime = "30d"
        signature-remain-time = "10d"
        signature-refresh-interval = "1d"
        [signer.denial]
        type = "nsec3"
        opt-out = true
        iterations = 0
        salt = "-"
        [signer.review]
        mode = "off"
        """;
    Policy p = PolicyParser.parse("full", "full.toml", text);
    assertEquals(GateMode.MANUAL, p.unsignedReview());
    assertEquals(Duration.ofDays(1), p.kskValidity());
    assertEquals(Duration.ofDays(14), p.zskValidity());
    assertEquals(Duration.ofMinutes(5), p.dnskeyTtl());
    assertEquals("ED25519", p.algorithm());
    assertTrue(p.useCsk());
    assertEquals(SerialPolicy.DATE_COUNTER, p.serialPolicy());
    assertEquals(Duration.ofHours(2), p.signatureInceptionOffset());
    assertEquals(DenialType.NSEC3, p.denial());
    assertTrue(p.nsec3OptOut());
    assertEquals("", p.nsec3Salt());
  }

  @Test
  void keyRollKeysAreRead() throws Exception {
    Policy p = PolicyParser.parse("rolls", "rolls.toml", """
        version = "v1"
        [key-manager]
        ksk.validity = "forever"
        ksk.roll-type = "double-ds-ksk-roll"
        ksk.auto-start = false
        zsk.validity = "90s"
        zsk.roll-type = "double-signature-zsk-roll"
        zsk.auto-report = false
        zsk.auto-expire = false
        csk.validity = "2w"
        csk.auto-done = false
        algorithm.auto-start = false
        """);
    assertEquals(Duration.ZERO, p.kskValidity());
    assertEquals(Duration.ofSeconds(90), p.zskValidity());
    assertEquals(Duration.ofDays(14), p.cskValidity());
    assertEquals(RollMethod.KSK_DOUBLE_DS, p.keyRolls().kskRollType());
    assertEquals(RollMethod.ZSK_DOUBLE_SIGNATURE, p.keyRolls().zskRollType());
    assertEquals(new RollAutomation(false, true, true, true), p.keyRolls().ksk());
    assertEquals(new RollAutomation(true, false, false, true), p.keyRolls().zsk());
    assertEquals(new RollAutomation(true, true, true, false), p.keyRolls().csk());
    assertEquals(new RollAutomation(false, true, true, true), p.keyRolls().algorithm());
  }

  @Test
  void parentKeysAreReadWithTheReferenceDefaults() throws Exception {
    assertEquals(ParentSettings.DEFAULT, PolicyParser.parse("x", "x.toml", "version = \"v1\"\n").parent());
    Policy p = PolicyParser.parse("parent", "parent.toml", """
        version = "v1"
        [key-manager]
        ds-algorithm = "SHA-384"
        ds-submit-hook = "/usr/local/bin/submit-ds"
        [key-manager.records]
        cds = "always"
        """);
    assertEquals(new ParentSettings(CdsPublication.ALWAYS, DsDigest.SHA_384, "/usr/local/bin/submit-ds"), p.parent());
    PolicyException cds = assertThrows(PolicyException.class, () -> PolicyParser.parse("x", "x.toml",
        "version = \"v1\"\n[key-manager.records]\ncds = \"sometimes\"\n"));
    assertTrue(cds.getMessage().contains("key-manager.records.cds: cds must be one of \"never\", \"during-roll\","
        + " \"always\", \"delete\", got \"sometimes\""), cds.getMessage());
    PolicyException digest = assertThrows(PolicyException.class, () -> PolicyParser.parse("x", "x.toml",
        "version = \"v1\"\n[key-manager]\nds-algorithm = \"SHA-1\"\n"));
    assertTrue(digest.getMessage().contains("key-manager.ds-algorithm"), digest.getMessage());
    assertThrows(PolicyException.class, () -> PolicyParser.parse("x", "x.toml",
        "version = \"v1\"\n[key-manager]\nds-submit-hook = \" \"\n"));
  }

  @Test
  void autoRemoveIsReadWithTheReferenceDefaults() throws Exception {
    KeyRolls defaults = PolicyParser.parse("x", "x.toml", "version = \"v1\"\n").keyRolls();
    assertTrue(defaults.autoRemove());
    assertEquals(Duration.ofDays(7), defaults.autoRemoveDelay());
    KeyRolls set = PolicyParser.parse("x", "x.toml",
        "version = \"v1\"\n[key-manager]\nauto-remove = false\nauto-remove-delay = \"2w\"\n").keyRolls();
    assertFalse(set.autoRemove());
    assertEquals(Duration.ofDays(14), set.autoRemoveDelay());
    assertThrows(PolicyException.class, () -> PolicyParser.parse("x", "x.toml",
        "version = \"v1\"\n[key-manager]\nauto-remove = \"yes\"\n"));
  }

  @Test
  void hsmServerIdIsReadAndRefusedWithEdDsa() throws Exception {
    assertEquals(null, PolicyParser.parse("x", "x.toml", "version = \"v1\"\n").hsmServerId());
    Policy p = PolicyParser.parse("hsm", "hsm.toml",
        "version = \"v1\"\n[key-manager.generation]\nhsm-server-id = \"softhsm\"\n");
    assertEquals("softhsm", p.hsmServerId());
    PolicyException ed = assertThrows(PolicyException.class, () -> PolicyParser.parse("x", "x.toml",
        "version = \"v1\"\n[key-manager.generation]\nhsm-server-id = \"softhsm\"\nalgorithm = \"ED25519\"\n"));
    assertTrue(ed.getMessage().contains("key-manager.generation.hsm-server-id"), ed.getMessage());
    assertThrows(PolicyException.class, () -> PolicyParser.parse("x", "x.toml",
        "version = \"v1\"\n[key-manager.generation]\nhsm-server-id = \" \"\n"));
  }

  @Test
  void propagationCheckKeysAreReadAndBadOnesRefusedNamingTheKey() throws Exception {
    Policy p = PolicyParser.parse("checks", "checks.toml", """
        version = "v1"
        [key-manager]
        publication-nameservers = ["192.0.2.1", "[2001:db8::1]:5353^Xfr-Key"]
        parent-nameservers = ["192.0.2.53:53^parent-key"]
        """);
    assertEquals(new PropagationChecks(List.of("192.0.2.1", "[2001:db8::1]:5353^Xfr-Key"),
        List.of("192.0.2.53:53^parent-key")), p.keyRolls().checks());
    assertEquals(PropagationChecks.DEFAULT,
        PolicyParser.parse("d", "d.toml", "version = \"v1\"\n").keyRolls().checks());
    PolicyException tsig = assertThrows(PolicyException.class, () -> PolicyParser.parse("x", "x.toml",
        "version = \"v1\"\n[key-manager]\npublication-nameservers = [\"192.0.2.1^\"]\n"));
    assertTrue(tsig.getMessage().contains(
        "key-manager.publication-nameservers: \"192.0.2.1^\": the TSIG key name after '^' is empty"),
        tsig.getMessage());
    PolicyException name = assertThrows(PolicyException.class, () -> PolicyParser.parse("x", "x.toml",
        "version = \"v1\"\n[key-manager]\nparent-nameservers = [\"ns.example\"]\n"));
    assertTrue(name.getMessage().contains("key-manager.parent-nameservers: \"ns.example\" is not"),
        name.getMessage());
  }

  @Test
  void badKeyRollValuesAreRefusedNamingTheKey() {
    PolicyException type = assertThrows(PolicyException.class, () -> PolicyParser.parse("x", "x.toml",
        "version = \"v1\"\n[key-manager]\nzsk.roll-type = \"double-signature-ksk-roll\"\n"));
    assertTrue(type.getMessage().contains(
        "key-manager.zsk.roll-type must be pre-publish-zsk-roll or double-signature-zsk-roll, got"
            + " \"double-signature-ksk-roll\""), type.getMessage());
    PolicyException zero = assertThrows(PolicyException.class, () -> PolicyParser.parse("x", "x.toml",
        "version = \"v1\"\n[key-manager]\ncsk.validity = \"0d\"\n"));
    assertTrue(zero.getMessage().contains("key-manager.csk.validity must be longer than 0s (\"forever\" for no end)"),
        zero.getMessage());
    PolicyException flag = assertThrows(PolicyException.class, () -> PolicyParser.parse("x", "x.toml",
        "version = \"v1\"\n[key-manager]\nalgorithm.auto-done = \"yes\"\n"));
    assertTrue(flag.getMessage().contains("key-manager.algorithm.auto-done must be true or false"), flag.getMessage());
    PolicyException forever = assertThrows(PolicyException.class, () -> PolicyParser.parse("x", "x.toml",
        "version = \"v1\"\n[key-manager]\nzsk.validity = \"never\"\n"));
    assertTrue(forever.getMessage().contains("key-manager.zsk.validity: 'never' is not a duration"),
        forever.getMessage());
    PolicyException unknown = assertThrows(PolicyException.class, () -> PolicyParser.parse("x", "x.toml",
        "version = \"v1\"\n[key-manager]\nalgorithm.roll-type = \"x\"\n"));
    assertTrue(unknown.getMessage().contains("unknown key key-manager.algorithm.roll-type"), unknown.getMessage());
  }

  @Test
  void algorithmTakesEveryAlgorithmTheEngineSignsAndRsaSizes() throws Exception {
    for (String[] given : new String[][] {{"ed448", "ED448"}, {"RSASHA512", "RSASHA512"},
        {"rsasha256:3072", "RSASHA256:3072"}, {"RSASHA256:2048", "RSASHA256"}, {"ECDSAP384SHA384", "ECDSAP384SHA384"}}) {
      Policy p = PolicyParser.parse("x", "x.toml",
          "version = \"v1\"\n[key-manager.generation]\nalgorithm = \"" + given[0] + "\"\n");
      assertEquals(given[1], p.algorithm());
    }
    PolicyException size = assertThrows(PolicyException.class, () -> PolicyParser.parse("x", "x.toml",
        "version = \"v1\"\n[key-manager.generation]\nalgorithm = \"ED25519:256\"\n"));
    assertTrue(size.getMessage().contains("key-manager.generation.algorithm = \"ED25519:256\""), size.getMessage());
    assertTrue(size.getMessage().contains("fixed size"), size.getMessage());
    PolicyException dsa = assertThrows(PolicyException.class, () -> PolicyParser.parse("x", "x.toml",
        "version = \"v1\"\n[key-manager.generation]\nalgorithm = \"DSA\"\n"));
    assertTrue(dsa.getMessage().contains("unsupported DNSSEC algorithm DSA"), dsa.getMessage());
  }

  @Test
  void unknownKeyIsRefusedNamingFileAndKey() {
    PolicyException e = assertThrows(PolicyException.class, () -> PolicyParser.parse("x", "/etc/p/x.toml",
        "version = \"v1\"\n[signer]\nserial-polcy = \"counter\"\n"));
    assertTrue(e.getMessage().startsWith("/etc/p/x.toml: "), e.getMessage());
    assertTrue(e.getMessage().contains("unknown key signer.serial-polcy"), e.getMessage());
  }

  @Test
  void unknownTableIsRefused() {
    PolicyException e = assertThrows(PolicyException.class, () -> PolicyParser.parse("x", "x.toml",
        "version = \"v1\"\n[server.outbound]\nsend-notify-to = []\n"));
    assertTrue(e.getMessage().contains("unknown key server"), e.getMessage());
  }

  @Test
  void badDurationIsRefused() {
    PolicyException e = assertThrows(PolicyException.class, () -> PolicyParser.parse("x", "x.toml",
        "version = \"v1\"\n[signer]\nsignature-lifetime = \"2 weeks\"\n"));
    assertTrue(e.getMessage().contains("signer.signature-lifetime"), e.getMessage());
    assertTrue(e.getMessage().contains("'2 weeks' is not a duration"), e.getMessage());
  }

  @Test
  void negativeDurationIsRefused() {
    assertThrows(PolicyException.class, () -> PolicyParser.parse("x", "x.toml",
        "version = \"v1\"\n[key-manager.records]\nttl = -1\n"));
  }

  @Test
  void missingVersionIsRefused() {
    PolicyException e = assertThrows(PolicyException.class,
        () -> PolicyParser.parse("x", "x.toml", "[loader.review]\nmode = \"off\"\n"));
    assertTrue(e.getMessage().contains("version"), e.getMessage());
  }

  /** {@code on-reject}: "discard" by default at both gates, as in the reference; "halt" per gate; nothing else. */
  @Test
  void onRejectIsDiscardOrHaltPerGate() throws PolicyException {
    Policy plain = PolicyParser.parse("x", "x.toml", "version = \"v1\"\n");
    assertEquals(false, plain.reviews().unsignedHaltOnReject());
    assertEquals(false, plain.reviews().signedHaltOnReject());
    Policy halting = PolicyParser.parse("x", "x.toml", "version = \"v1\"\n[loader.review]\nmode = \"manual\"\n"
        + "on-reject = \"discard\"\n[signer.review]\nmode = \"manual\"\non-reject = \"halt\"\n");
    assertEquals(new ReviewSettings(null, null, false, false, true, false), halting.reviews());
    PolicyException bad = assertThrows(PolicyException.class, () -> PolicyParser.parse("x", "x.toml",
        "version = \"v1\"\n[loader.review]\non-reject = \"stop\"\n"));
    assertTrue(bad.getMessage().contains("loader.review.on-reject must be \"discard\" or \"halt\", got \"stop\""),
        bad.getMessage());
  }

  @Test
  void fourEyesNeedsManualReviewAtBothGates() throws PolicyException {
    Policy p = PolicyParser.parse("x", "x.toml", "version = \"v1\"\n[loader.review]\nmode = \"manual\"\n"
        + "[signer.review]\nmode = \"manual\"\nfour-eyes = true\n");
    assertTrue(p.reviews().fourEyes());
    assertFalse(PolicyParser.parse("x", "x.toml", "version = \"v1\"\n").reviews().fourEyes());

    PolicyException alone = assertThrows(PolicyException.class, () -> PolicyParser.parse("x", "x.toml",
        "version = \"v1\"\n[signer.review]\nmode = \"manual\"\nfour-eyes = true\n"));
    assertTrue(alone.getMessage().contains("signer.review.four-eyes needs mode = \"manual\" in [loader.review] and "
        + "[signer.review]"), alone.getMessage());
  }

  @Test
  void scriptReviewTakesItsHookAndNeedsOne() throws PolicyException {
    Policy p = PolicyParser.parse("x", "x.toml", "version = \"v1\"\n[loader.review]\nmode = \"script\"\n"
        + "hook = \"/usr/local/bin/check-zone\"\n");
    assertEquals(GateMode.SCRIPT, p.unsignedReview());
    assertEquals(new ReviewSettings("/usr/local/bin/check-zone", null, false, false, false, false), p.reviews());

    PolicyException none = assertThrows(PolicyException.class, () -> PolicyParser.parse("x", "x.toml",
        "version = \"v1\"\n[signer.review]\nmode = \"script\"\n"));
    assertTrue(none.getMessage().contains("signer.review.hook is required with mode = \"script\""),
        none.getMessage());
    PolicyException unused = assertThrows(PolicyException.class, () -> PolicyParser.parse("x", "x.toml",
        "version = \"v1\"\n[signer.review]\nmode = \"manual\"\nhook = \"true\"\n"));
    assertTrue(unused.getMessage().contains("signer.review.hook is only used with mode = \"script\""),
        unused.getMessage());
  }

  @Test
  void lifetimeMustOutlastRemainTimePlusRefresh() {
    // Reference Cascade rule: lifetime > remain-time + 1h + refresh-interval.
    PolicyException e = assertThrows(PolicyException.class, () -> PolicyParser.parse("x", "x.toml",
        "version = \"v1\"\n[signer]\nsignature-lifetime = \"8d\"\nsignature-remain-time = \"7d\"\n"
            + "signature-refresh-interval = \"1d\"\n"));
    assertTrue(e.getMessage().contains("signature-lifetime must exceed"), e.getMessage());
  }

  @Test
  void nsec3ParametersOnlyWithNsec3AndIterationsBounded() throws PolicyException {
    assertThrows(PolicyException.class, () -> PolicyParser.parse("x", "x.toml",
        "version = \"v1\"\n[signer.denial]\ntype = \"nsec\"\nopt-out = true\n"));
    assertThrows(PolicyException.class, () -> PolicyParser.parse("x", "x.toml",
        "version = \"v1\"\n[signer.denial]\ntype = \"nsec3\"\niterations = 500\n"));
    assertThrows(PolicyException.class, () -> PolicyParser.parse("x", "x.toml",
        "version = \"v1\"\n[signer.denial]\ntype = \"nsec3\"\nsalt = \"abc\"\n"));
    PolicyException hash = assertThrows(PolicyException.class, () -> PolicyParser.parse("x", "x.toml",
        "version = \"v1\"\n[signer.denial]\ntype = \"nsec3\"\nhash-algorithm = \"SHA-256\"\n"));
    assertTrue(hash.getMessage().contains("only NSEC3 hash algorithm"), hash.getMessage());
    PolicyParser.parse("x", "x.toml", "version = \"v1\"\n[signer.denial]\ntype = \"nsec3\"\nhash-algorithm = \"sha-1\"\n");
  }

  @Test
  void invalidTomlIsRefusedNamingFile() {
    PolicyException e = assertThrows(PolicyException.class,
        () -> PolicyParser.parse("x", "broken.toml", "version = \"v1\n"));
    assertTrue(e.getMessage().startsWith("broken.toml: not valid TOML"), e.getMessage());
  }

  @Test
  void durationsRoundTripInPolicyNotation() {
    assertEquals("2w", Durations.format(Durations.parse("14d")));
    assertEquals("36h", Durations.format(Durations.parse("36h")));
    assertEquals("90s", Durations.format(Duration.ofSeconds(90)));
    assertEquals(Duration.ofSeconds(7 * 86400), Durations.parse("1w"));
  }
}
