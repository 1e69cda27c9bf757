package dev.cascade.dnssec.sign;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cascade.dnssec.compact.CompactDiff;
import dev.cascade.dnssec.compact.CompactRecords;
import dev.cascade.dnssec.keys.SigningKey;
import dev.cascade.dnssec.keys.SigningRole;
import dev.cascade.dnssec.parent.CdsPublication;
import dev.cascade.dnssec.parent.DsDigest;
import dev.cascade.dnssec.parent.ParentRecords;
import dev.cascade.dnssec.progress.Progress;
import dev.cascade.dnssec.roll.KeySetState;
import dev.cascade.dnssec.roll.KeyState;
import dev.cascade.dnssec.roll.RollType;
import dev.cascade.dnssec.testsupport.ExternalVerifiers;
import dev.cascade.dnssec.testsupport.TestKeys;
import dev.cascade.dnssec.verify.ExpectedKeys;
import dev.cascade.dnssec.verify.VerificationReport;
import dev.cascade.dnssec.verify.VerifiedSignatures;
import dev.cascade.dnssec.verify.ZoneVerifier;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.xbill.DNS.DNSKEYRecord;
import org.xbill.DNS.DSRecord;
import org.xbill.DNS.RRSIGRecord;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

/**
 * CDS and CDNSKEY (RFC 7344, RFC 8078) through a KSK roll's phases, for each {@link CdsPublication}: the records the
 * zone publishes, signed by the keys that sign the DNSKEY RRset, accepted by the gate and by dnssec-verify,
 * ldns-verify-zone and kzonecheck (which checks that each CDS matches a CDNSKEY); the incremental paths give what a
 * full signing gives.
 */
class CdsSigningTest {
  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  private static final SigningPolicy NSEC = ZoneSignerTest.policy("NSEC");
  private static final long TTL = 3600;

  @BeforeAll
  static void parse() throws Exception {
    ZoneSignerTest.parse();
  }

  private static KeyState key(String name, SigningRole role, boolean active) {
    SigningKey k = TestKeys.load(name);
    return active
        ? KeyState.active(name, role, k.algorithm(), k.keyTag(), T0)
        : KeyState.created(name, role, k.algorithm(), k.keyTag(), T0);
  }

  private static List<KeySetState> kskRoll(RollType type) throws Exception {
    return RollSigningTest.phases(type,
        List.of(key("ksk13", SigningRole.KSK, true), key("zsk13", SigningRole.ZSK, true)),
        List.of(key("ksk13b", SigningRole.KSK, false)));
  }

  /** The keys at the parent that are in the DNSKEY RRset: those CDS and CDNSKEY are made of. */
  private static List<DNSKEYRecord> parentKeys(KeySetState state) {
    return state.parentKeys().stream().filter(KeyState::published).map(k -> TestKeys.load(k.id()).dnskey()).toList();
  }

  private static List<Record> cds(KeySetState state, CdsPublication publication) {
    return ParentRecords.cdsAndCdnskey(ZoneSignerTest.ORIGIN, parentKeys(state), state.dsChanging(), publication,
        DsDigest.SHA_256, TTL);
  }

  private static Set<String> tags(List<KeyState> keys) {
    return keys.stream().map(k -> TestKeys.load(k.id())).map(k -> k.algorithm() + "/" + k.keyTag())
        .collect(Collectors.toCollection(TreeSet::new));
  }

  /** Both KSK rolls: in a double-DS roll the new KSK's DS, CDS and CDNSKEY come before its DNSKEY. */
  static Stream<Arguments> publicationsAndRolls() {
    return Stream.of(CdsPublication.values()).flatMap(publication -> Stream.of(
        Arguments.of(publication, RollType.KSK_DOUBLE_SIGNATURE), Arguments.of(publication, RollType.KSK_DOUBLE_DS)));
  }

  @ParameterizedTest(name = "{0} through {1}")
  @MethodSource("publicationsAndRolls")
  void eachPhaseOfAKskRollPublishesWhatTheSwitchSaysSignedAndAcceptedByTheValidators(CdsPublication publication,
      RollType type, @TempDir Path dir) throws Exception {
    List<KeySetState> states = kskRoll(type);
    int published = 0;
    for (int i = 0; i < states.size(); i++) {
      KeySetState state = states.get(i);
      String what = publication + " " + type + " state " + i + " " + state.keys();
      List<Record> wanted = cds(state, publication);
      int expected = switch (publication) {
        case NEVER -> 0;
        case DURING_ROLL -> state.dsChanging() ? 2 * parentKeys(state).size() : 0;
        case ALWAYS -> 2 * parentKeys(state).size();
        case DELETE -> 2;
      };
      assertEquals(expected, wanted.size(), what);
      published += wanted.isEmpty() ? 0 : 1;

      List<SigningKey> keys = RollSigningTest.signingKeys(state);
      List<Record> zone = new ZoneSigner(ZoneSignerTest.CLOCK, 2).sign(ZoneSignerTest.ORIGIN,
          ParentRecords.withCdsAndCdnskey(ZoneSignerTest.ORIGIN, ZoneSignerTest.tricky.records(), wanted), keys, TTL,
          NSEC, 2026010100L).records();
      assertEquals(wanted, zone.stream().filter(r -> r.getType() == Type.CDS || r.getType() == Type.CDNSKEY)
          .toList(), what);
      for (int covered : new int[] {Type.CDS, Type.CDNSKEY}) {
        Set<String> signers = zone.stream().filter(r -> r instanceof RRSIGRecord sig && sig.getTypeCovered() == covered)
            .map(r -> ((RRSIGRecord) r).getAlgorithm() + "/" + ((RRSIGRecord) r).getFootprint())
            .collect(Collectors.toCollection(TreeSet::new));
        assertEquals(wanted.isEmpty() ? Set.of() : tags(state.keySigners()), signers,
            what + ": RFC 7344 §4.1, signed by the keys that sign the DNSKEY RRset");
      }
      VerificationReport report = ZoneVerifier.verify(ZoneSignerTest.ORIGIN, zone, ExpectedKeys.of(keys),
          ZoneSignerTest.NOW, Duration.ofDays(1), VerifiedSignatures.none(), Progress.NONE);
      assertTrue(report.ok(), () -> what + ": " + String.join("\n", report.problems()));
      ExternalVerifiers.assertAllAccept(ZoneSignerTest.ORIGIN, zone, Files.createDirectories(dir.resolve("s" + i)));
    }
    switch (publication) {
      case NEVER -> assertEquals(0, published);
      // One phase of a KSK roll waits for the DS: the second of a double-signature roll, the first of a double-DS.
      case DURING_ROLL -> assertEquals(1, published);
      case ALWAYS, DELETE -> assertEquals(states.size(), published, "every state, a KSK is always at the parent");
    }
  }

  /**
   * The CDS RRset changes with the phase, and the signing of a change and the incremental pass give what a full
   * signing gives: the change is the loaded version's (none here) plus {@link ParentRecords#change}.
   */
  @ParameterizedTest
  @EnumSource(value = CdsPublication.class, names = {"DURING_ROLL", "ALWAYS"})
  void theIncrementalPathsFollowTheCdsRrsetFromPhaseToPhase(CdsPublication publication) throws Exception {
    List<KeySetState> states = kskRoll(RollType.KSK_DOUBLE_DS);
    List<Record> previous = null;
    long serial = 2026010100L;
    int signedAsChange = 0;
    for (KeySetState state : states) {
      List<SigningKey> keys = RollSigningTest.signingKeys(state);
      List<Record> wanted = cds(state, publication);
      List<Record> unsigned =
          ParentRecords.withCdsAndCdnskey(ZoneSignerTest.ORIGIN, ZoneSignerTest.tricky.records(), wanted);
      serial++;
      ZoneSigner signer = new ZoneSigner(ZoneSignerTest.CLOCK, 1);
      List<Record> full = signer.sign(ZoneSignerTest.ORIGIN, unsigned, keys, TTL, NSEC, serial).records();
      if (previous != null) {
        List<Record> incremental =
            signer.resign(ZoneSignerTest.ORIGIN, previous, unsigned, keys, TTL, NSEC, serial).zone().records();
        IncrementalSigningTest.assertEqualExceptSignatures(full, incremental);
        CompactRecords before = CompactRecords.ofSorted(previous);
        CompactDiff change = new CompactDiff(CompactRecords.empty(), CompactRecords.empty())
            .then(ParentRecords.change(ZoneSignerTest.ORIGIN, before, wanted));
        ChangeSigner.Result result =
            new ChangeSigner(ZoneSignerTest.CLOCK).sign(ZoneSignerTest.ORIGIN, before, change, keys, TTL, NSEC, serial);
        if (result instanceof ChangeSigner.Result.Signed signed) {
          IncrementalSigningTest.assertEqualExceptSignatures(full, signed.change().applyTo(before).toRecords());
          signedAsChange++;
        } else {
          assertInstanceOf(ChangeSigner.Result.NeedsFullSigning.class, result);
        }
      }
      previous = full;
    }
    // Entering phase 1 (the new DS) changes the CDS RRset and no key's signing: signed as a change.
    assertTrue(signedAsChange >= 1, "some step is signed as a change");
  }

  /** The DS records are those BIND's dnssec-dsfromkey makes of the same keys, for each digest. */
  @ParameterizedTest
  @EnumSource(DsDigest.class)
  void theDsRecordsAreThoseDnssecDsfromkeyMakes(DsDigest digest, @TempDir Path dir) throws Exception {
    List<DNSKEYRecord> keys = List.of(TestKeys.load("ksk13").dnskey(), TestKeys.load("ksk13b").dnskey());
    List<DSRecord> ds = ParentRecords.ds(ZoneSignerTest.ORIGIN, keys, CdsPublication.ALWAYS, digest, TTL);
    Path file = dir.resolve("keys");
    Files.writeString(file, keys.stream().map(Record::toString).collect(Collectors.joining("\n", "", "\n")));
    Process p = new ProcessBuilder("dnssec-dsfromkey", "-a", digest.word(), "-f", file.toString(),
        ZoneSignerTest.ORIGIN.toString()).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(30, TimeUnit.SECONDS));
    assertEquals(0, p.exitValue(), out);
    Set<String> theirs = new TreeSet<>();
    for (String line : out.strip().split("\n")) {
      String[] f = line.trim().split("\\s+");
      theirs.add(String.join(" ", List.of(f).subList(f.length - 4, f.length)).toLowerCase());
    }
    Set<String> ours =
        ds.stream().map(r -> r.rdataToString().toLowerCase()).collect(Collectors.toCollection(TreeSet::new));
    assertEquals(theirs, ours);
  }

  @Test
  void theDeleteFormsAreThoseOfRfc8078AndAskForNoDs() {
    List<Record> delete = ParentRecords.cdsAndCdnskey(ZoneSignerTest.ORIGIN, List.of(TestKeys.load("ksk13").dnskey()),
        false, CdsPublication.DELETE, DsDigest.SHA_256, TTL);
    List<String> rdata = new ArrayList<>(delete.stream().map(r -> Type.string(r.getType()) + " " + r.rdataToString())
        .toList());
    assertEquals(List.of("CDS 0 0 0 00", "CDNSKEY 0 3 0 AA=="), rdata);
    assertEquals(List.of(), ParentRecords.ds(ZoneSignerTest.ORIGIN, List.of(TestKeys.load("ksk13").dnskey()),
        CdsPublication.DELETE, DsDigest.SHA_256, TTL));
    assertThrows(IllegalArgumentException.class, () -> CdsPublication.fromWord("sometimes"));
    assertEquals(CdsPublication.DURING_ROLL, CdsPublication.fromWord("during-roll"));
    assertEquals(DsDigest.SHA_384, DsDigest.fromWord("SHA-384"));
  }
}
