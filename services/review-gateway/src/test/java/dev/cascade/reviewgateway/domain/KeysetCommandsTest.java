package dev.cascade.reviewgateway.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cascade.dnssec.keys.KeyGenerator;
import dev.cascade.dnssec.keys.SigningKey;
import dev.cascade.dnssec.roll.RollStepException;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Name;

class KeysetCommandsTest {

  private static final Instant T0 = Instant.parse("2026-11-28T02:00:00Z");
  private static final Name ZONE = Name.fromConstantString("example.com.");
  private static final SigningKey KSK = KeyGenerator.generate(ZONE, 13, KeyGenerator.FLAGS_SEP, 3600);
  private static final SigningKey ZSK = KeyGenerator.generate(ZONE, 13, KeyGenerator.FLAGS_ZSK, 3600);
  private static final SigningKey NEW_KSK = KeyGenerator.generate(ZONE, 13, KeyGenerator.FLAGS_SEP, 3600);

  private static ZoneState.KeyInfo key(SigningKey key, String role, String reference, ZoneState.KeyUse use) {
    return new ZoneState.KeyInfo(key.keyTag(), role, 13, key.dnskey().getFlags(), reference, T0, T0.plusSeconds(86_400),
        use, Base64.getEncoder().encodeToString(key.dnskey().getKey()));
  }

  /** A signed zone with a KSK and a ZSK doing all their jobs, no roll in progress. */
  private static ZoneState zone() {
    ZoneState zone = new ZoneState();
    zone.name = "example.com.";
    zone.dnskeyTtl = 3600L;
    zone.keys.add(key(KSK, "KSK", "db:keymanager/k1", new ZoneState.KeyUse(true, true, false, true)));
    zone.keys.add(key(ZSK, "ZSK", "db:keymanager/z1", new ZoneState.KeyUse(true, false, true, false)));
    return zone;
  }

  /** The zone in phase 2 of a KSK double-signature roll: the DS is moving to the new KSK. */
  private static ZoneState kskRollWaitingForTheDs() {
    ZoneState zone = zone();
    zone.keys.set(0, key(KSK, "KSK", "db:keymanager/k1", new ZoneState.KeyUse(true, true, false, false)));
    zone.keys.add(key(NEW_KSK, "KSK", "db:keymanager/k2", new ZoneState.KeyUse(true, true, false, true)));
    zone.rolls.add(new ZoneState.RollInfo("KSK_DOUBLE_SIGNATURE", List.of(NEW_KSK.keyTag()), List.of(KSK.keyTag()), 2,
        "PROPAGATION", T0, 0));
    return zone;
  }

  @Test
  void aStepOutOfOrderIsRefusedWithTheStateMachinesWordsAndAFittingOneIsWordedForTheKeyManager() throws Exception {
    assertEquals("no zsk roll is in progress", assertThrows(RollStepException.class,
        () -> KeysetCommands.rollStep(zone(), "zsk", "cache-expired1", null, T0)).getMessage());
    assertEquals("the ksk roll waits for propagation2-complete <ttl>, not roll-done", assertThrows(
        RollStepException.class, () -> KeysetCommands.rollStep(kskRollWaitingForTheDs(), "ksk", "roll-done", null, T0))
        .getMessage());
    assertEquals("cannot start a csk roll while a ksk roll is in progress (propagation2-complete <ttl> is next)",
        assertThrows(RollStepException.class,
            () -> KeysetCommands.rollStep(kskRollWaitingForTheDs(), "csk", "start-roll", null, T0)).getMessage());

    KeysetCommands.Step propagated =
        KeysetCommands.rollStep(kskRollWaitingForTheDs(), "KSK", "propagation2-complete", "2h", T0);
    assertEquals(new KeysetCommands.Step("ksk", "propagation2-complete", 7200L), propagated);
    assertEquals("ksk propagation2-complete 7200", propagated.wording());
    assertEquals(new KeysetCommands.Step("zsk", "start-roll", null),
        KeysetCommands.rollStep(zone(), "zsk", "start-roll", null, T0));
  }

  @Test
  void badInputIsRefusedAsSuch() {
    assertEquals("unknown roll 'dsk': expected ksk, zsk, csk or algorithm", assertThrows(
        IllegalArgumentException.class, () -> KeysetCommands.rollStep(zone(), "dsk", "start-roll", null, T0))
        .getMessage());
    assertThrows(IllegalArgumentException.class,
        () -> KeysetCommands.rollStep(zone(), "zsk", "start-roll", "60", T0));
    assertThrows(IllegalArgumentException.class,
        () -> KeysetCommands.rollStep(kskRollWaitingForTheDs(), "ksk", "propagation2-complete", null, T0));
    assertTrue(assertThrows(IllegalArgumentException.class,
        () -> KeysetCommands.rollStep(kskRollWaitingForTheDs(), "ksk", "propagation2-complete", "2 hours", T0))
        .getMessage().contains("is not a duration"));
    assertEquals("zone example.com. has no key with tag 1", assertThrows(IllegalArgumentException.class,
        () -> KeysetCommands.removal(zone(), "1", false, false)).getMessage());
  }

  @Test
  void aKeyIsNamedByReferenceOrUniqueTagAndOneInUseNeedsForce() throws Exception {
    String tag = String.valueOf(ZSK.keyTag());
    assertTrue(assertThrows(RollStepException.class, () -> KeysetCommands.removal(zone(), tag, false, false))
        .getMessage().startsWith("key db:keymanager/z1 is still published, signing the zone; --force removes it"));
    assertEquals("db:keymanager/z1", KeysetCommands.removal(zone(), tag, true, false));
    assertEquals("db:keymanager/k1", KeysetCommands.removal(zone(), "db:keymanager/k1", true, false));

    ZoneState twins = zone();
    twins.keys.add(new ZoneState.KeyInfo(ZSK.keyTag(), "ZSK", 8, 256, "db:keymanager/z2", T0, null,
        new ZoneState.KeyUse(false, false, false, false), "AwEAAQ=="));
    assertEquals("key tag " + tag + " is not unique in zone example.com.; name the key by its reference:"
        + " db:keymanager/z1, db:keymanager/z2", assertThrows(IllegalArgumentException.class,
            () -> KeysetCommands.removal(twins, tag, false, false)).getMessage());
    assertEquals("db:keymanager/z2", KeysetCommands.removal(twins, "db:keymanager/z2", false, false),
        "an inert key goes without --force");
  }

  @Test
  void theParentsRecordsAreThoseOfTheKeysAtTheParentAndSayWhenARollWaitsForThem() {
    ZoneState rolling = kskRollWaitingForTheDs();
    String ds = KeysetCommands.records(rolling, KeysetCommands.ParentRecord.DS);
    List<String> lines = ds.lines().toList();
    assertEquals("; the ksk roll waits for this DS RRset at the parent (propagation2-complete <ttl> once it is there)",
        lines.get(0));
    assertEquals(2, lines.size(), ds);
    assertTrue(lines.get(1).matches("example\\.com\\.\\s+3600\\s+IN\\s+DS\\s+" + NEW_KSK.keyTag() + " 13 2 [0-9A-F]+"),
        lines.get(1));
    String cds = KeysetCommands.records(rolling, KeysetCommands.ParentRecord.CDS);
    assertEquals(ds.replace("\tDS\t", "\tCDS\t"), cds);
    assertEquals(3, KeysetCommands.records(rolling, KeysetCommands.ParentRecord.DNSKEY).lines().count(),
        "both KSKs and the ZSK are published");
    assertEquals(1, KeysetCommands.records(zone(), KeysetCommands.ParentRecord.DS).lines().count(),
        "no roll, no comment");
  }
}
