package dev.cascade.cli.opendnssec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cascade.dnssec.roll.RollPosition;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EnforcerKeysTest {

  private static List<EnforcerKeys.Key> read(String prefix) throws IOException {
    Path dir = Path.of("src/test/resources/opendnssec");
    return EnforcerKeys.parse(Files.readString(dir.resolve(prefix + "-verbose.txt")),
        Files.readString(dir.resolve(prefix + "-debug.txt")));
  }

  @Test
  void aZoneJustSignedHasTwoSigningKeysAndNoRoll() throws IOException {
    List<EnforcerKeys.Key> keys = read("key-list");
    assertEquals(2, keys.size());
    EnforcerKeys.Key ksk = keys.get(0);
    assertEquals("example.test", ksk.zone());
    assertEquals("KSK", ksk.role());
    assertEquals("publish", ksk.state());
    assertEquals(61820, ksk.keyTag());
    assertEquals("578f1744fc2e5da3c47ac963fc1422d3", ksk.locator());
    assertEquals(8, ksk.algorithm());
    assertEquals(2048, ksk.bits());
    assertEquals("SoftHSM", ksk.repository());
    assertEquals(EnforcerKeys.Use.SIGNING, ksk.use());
    assertFalse(ksk.dsAtParent());
    assertEquals(EnforcerKeys.Use.SIGNING, keys.get(1).use());
    assertNull(EnforcerKeys.rollInProgress(keys.stream().filter(k -> k.role().equals("ZSK")).toList()));
  }

  @Test
  void aZskRollIsSeenAndNamedInRollSteps() throws IOException {
    List<EnforcerKeys.Key> zsks = read("zsk-roll").stream().filter(k -> k.role().equals("ZSK")).toList();
    assertEquals(EnforcerKeys.Use.RETIRING, zsks.get(0).use());
    assertEquals(EnforcerKeys.Use.SIGNING, zsks.get(1).use());
    String roll = EnforcerKeys.rollInProgress(zsks);
    assertTrue(roll.startsWith("old key 19656 retiring (DNSKEY unretentive, RRSIG unretentive"), roll);
    assertTrue(roll.contains("propagation2-complete"), roll);
  }

  @Test
  void aPublishedKeyThatDoesNotSignIsASuccessor() {
    String verbose = "example.org KSK ready 2026-12-08 12:08:05 2048 8 aa SoftHSM 1\n"
        + "example.org KSK active 2026-12-08 12:08:05 2048 8 bb SoftHSM 2\n";
    String debug = "example.org KSK hidden omnipresent hidden NA 1 0 aa\n"
        + "example.org KSK omnipresent omnipresent omnipresent NA 1 1 bb\n";
    List<EnforcerKeys.Key> keys = EnforcerKeys.parse(verbose, debug);
    assertEquals(EnforcerKeys.Use.SUCCESSOR, keys.get(0).use());
    assertEquals(EnforcerKeys.Use.SIGNING, keys.get(1).use());
    assertTrue(keys.get(1).dsAtParent());
    assertTrue(EnforcerKeys.rollInProgress(keys).contains("propagation1-complete is next"));
  }

  @Test
  void theKeysOfAZskRollAreGivenTheirPlaceInIt() throws IOException {
    List<EnforcerKeys.Key> zsks = read("zsk-roll").stream().filter(k -> k.role().equals("ZSK")).toList();
    Map<EnforcerKeys.Key, RollPosition> positions = EnforcerKeys.positions(zsks);
    // The old key's DNSKEY and signatures are leaving the caches, the new key is published and signs.
    assertEquals(new RollPosition("old", false, false, false, false), positions.get(zsks.get(0)));
    assertEquals(new RollPosition("new", true, false, true, false), positions.get(zsks.get(1)));
    assertTrue(EnforcerKeys.positions(read("key-list").stream().filter(k -> k.role().equals("ZSK")).toList())
        .isEmpty(), "no roll, no positions");
  }

  @Test
  void aPublishedKskSuccessorIsTakenOverSigningTheDnskeyRrset() {
    String verbose = "example.org KSK ready 2026-12-08 12:08:05 2048 8 aa SoftHSM 1\n"
        + "example.org KSK active 2026-12-08 12:08:05 2048 8 bb SoftHSM 2\n";
    String debug = "example.org KSK hidden omnipresent hidden NA 1 0 aa\n"
        + "example.org KSK omnipresent omnipresent omnipresent NA 1 1 bb\n";
    List<EnforcerKeys.Key> keys = EnforcerKeys.parse(verbose, debug);
    Map<EnforcerKeys.Key, RollPosition> positions = EnforcerKeys.positions(keys);
    assertEquals(new RollPosition("new", true, true, false, false), positions.get(keys.get(0)));
    assertEquals(new RollPosition("old", true, true, false, true), positions.get(keys.get(1)));
  }

  @Test
  void ofTwoSigningKsksTheOneWithoutItsDsIsNewAndTwoLikeZsksAreRefused() {
    String verbose = "example.org KSK active 2026-12-08 12:08:05 2048 8 aa SoftHSM 1\n"
        + "example.org KSK active 2026-12-08 12:08:05 2048 8 bb SoftHSM 2\n";
    List<EnforcerKeys.Key> ksks = EnforcerKeys.parse(verbose, "example.org KSK hidden omnipresent omnipresent NA 1 1 aa\n"
        + "example.org KSK omnipresent omnipresent omnipresent NA 1 1 bb\n");
    Map<EnforcerKeys.Key, RollPosition> positions = EnforcerKeys.positions(ksks);
    assertTrue(positions.get(ksks.get(0)).arriving());
    assertFalse(positions.get(ksks.get(1)).arriving());

    List<EnforcerKeys.Key> zsks = EnforcerKeys.parse(verbose.replace("KSK", "ZSK"),
        "example.org ZSK NA omnipresent NA omnipresent 1 1 aa\nexample.org ZSK NA omnipresent NA omnipresent 1 1 bb\n");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> EnforcerKeys.positions(zsks));
    assertEquals("cannot tell the new key from the old among [1 (SIGNING), 2 (SIGNING)]", e.getMessage());
  }

  @Test
  void outputThatIsNotTheEnforcersIsRefused() {
    assertThrows(IllegalArgumentException.class, () -> EnforcerKeys.parse("", "example.org KSK hidden x\n"));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> EnforcerKeys.parse("", "example.org KSK hidden omnipresent hidden NA 1 0 aa\n"));
    assertTrue(e.getMessage().contains("not in key list --verbose"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> EnforcerKeys.parse(
        "example.org KSK ready 2026-12-08 12:08:05 2048 8 aa SoftHSM 1\n",
        "example.org KSK sideways omnipresent hidden NA 1 0 aa\n"));
    assertTrue(e.getMessage().contains("cannot read the key aa"), e.getMessage());
  }
}
