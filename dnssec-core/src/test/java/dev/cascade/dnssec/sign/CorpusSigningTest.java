package dev.cascade.dnssec.sign;

import static dev.cascade.dnssec.sign.ZoneSignerTest.CLOCK;
import static dev.cascade.dnssec.sign.ZoneSignerTest.NOW;
import static dev.cascade.dnssec.sign.ZoneSignerTest.ORIGIN;
import static dev.cascade.dnssec.sign.ZoneSignerTest.SIGNED_SERIAL;
import static dev.cascade.dnssec.sign.ZoneSignerTest.keys;
import static dev.cascade.dnssec.sign.ZoneSignerTest.nsec3For;
import static dev.cascade.dnssec.sign.ZoneSignerTest.policy;
import static dev.cascade.dnssec.sign.ZoneSignerTest.published;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cascade.dnssec.keys.SigningKey;
import dev.cascade.dnssec.testsupport.ExternalVerifiers;
import dev.cascade.dnssec.testsupport.TestKeys;
import dev.cascade.dnssec.verify.VerificationReport;
import dev.cascade.dnssec.verify.ZoneVerifier;
import dev.cascade.dnssec.zone.ParsedZone;
import dev.cascade.dnssec.zone.ZoneFileParser;
import dev.cascade.dnssec.zone.ZoneInputException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.MXRecord;
import org.xbill.DNS.NSEC3PARAMRecord;
import org.xbill.DNS.NSECRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.RRSIGRecord;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.SVCBRecord;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.Type;
import org.xbill.DNS.utils.base32;

/**
 * The corpus of tricky zones ({@code src/test/resources/zones/corpus}, each file's header says what it covers),
 * each signed with every algorithm and with NSEC, NSEC3 and NSEC3 opt-out; every output must pass the
 * verification gate and be accepted by three verifiers written by others (BIND's dnssec-verify,
 * ldns-verify-zone, Knot's kzonecheck), and must hold every input record unchanged. Negative cases show that
 * each tool, and the gate, refuse a broken signature of every algorithm.
 */
class CorpusSigningTest {
  static final Path CORPUS = Path.of("src/test/resources/zones/corpus");
  /**
   * Files with data below a DNAME: Knot refuses to load such a zone at all (RFC 6672 §2.3 forbids the data; BIND
   * loads it and the signer treats it as occluded), so only BIND and ldns check these.
   */
  static final Set<String> DATA_BELOW_DNAME = Set.of("dname-occlusion.zone");
  /** One key set per algorithm: KSK+ZSK where the test keys have them, a CSK otherwise. */
  static final List<String> KEY_SETS = List.of("csk8", "csk10", "ksk13+zsk13", "csk14", "ksk15+zsk15", "csk16");
  static final List<String> DENIALS = List.of("NSEC", "NSEC3", "NSEC3-OPTOUT");
  /** The types the signer generates; everything else in the signed zone must be the input, unchanged. */
  static final Set<Integer> GENERATED = Set.of(Type.RRSIG, Type.NSEC, Type.NSEC3, Type.NSEC3PARAM, Type.DNSKEY);

  private static final Map<String, ParsedZone> PARSED = new ConcurrentHashMap<>();

  static ParsedZone parsed(String file) {
    return PARSED.computeIfAbsent(file, f -> {
      try {
        return ZoneFileParser.parse(CORPUS.resolve(f), ORIGIN);
      } catch (ZoneInputException e) {
        throw new IllegalStateException(e);
      }
    });
  }

  static List<String> corpusFiles() {
    try (Stream<Path> files = Files.list(CORPUS)) {
      return files.map(p -> p.getFileName().toString()).filter(f -> f.endsWith(".zone")).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Every file with every algorithm and denial mechanism; then every file with a salted, iterated NSEC3 (RFC 5155
   * §3.1.3/§3.1.5, what old zones still use) and with two algorithms at once (an algorithm rollover from an
   * RSASHA256 CSK to an ECDSA KSK/ZSK pair: every RRset must carry an RRSIG of each algorithm, RFC 4035 §2.2).
   */
  static Stream<Arguments> cases() {
    List<Arguments> cases = new ArrayList<>();
    for (String file : corpusFiles()) {
      for (String keySet : KEY_SETS) {
        for (String denial : DENIALS) {
          cases.add(Arguments.of(file, keySet, denial));
        }
      }
      cases.add(Arguments.of(file, "ksk15+zsk15", "NSEC3-SALT"));
      cases.add(Arguments.of(file, "csk8+ksk13+zsk13", "NSEC"));
      cases.add(Arguments.of(file, "csk8+ksk13+zsk13", "NSEC3-OPTOUT"));
    }
    return cases.stream();
  }

  @ParameterizedTest(name = "{0} signed with {1}, {2}")
  @MethodSource("cases")
  void signedCorpusZoneKeepsItsDataAndIsAcceptedByEveryVerifier(String file, String keySet, String denial,
      @TempDir Path dir) throws Exception {
    ParsedZone zone = parsed(file);
    List<SigningKey> keys = keys(keySet);
    List<Record> signed = new ZoneSigner(CLOCK, 2).sign(ORIGIN, zone.records(), keys, 3600, policy(denial),
        SIGNED_SERIAL).records();

    assertEquals(presentation(withSignedSerial(zone.records())),
        presentation(signed.stream().filter(r -> !GENERATED.contains(r.getType())).toList()),
        "the signed zone holds every input record, unchanged and in canonical order, and nothing else but DNSSEC data");
    VerificationReport report = ZoneVerifier.verify(ORIGIN, signed, published(keys), NOW, Duration.ofDays(1));
    assertTrue(report.ok(), () -> String.join("\n", report.problems()));
    if (DATA_BELOW_DNAME.contains(file)) {
      ExternalVerifiers.assertBindAndLdnsAccept(ORIGIN, signed, dir);
    } else {
      ExternalVerifiers.assertAllAccept(ORIGIN, signed, dir);
    }
  }

  private static List<Record> withSignedSerial(List<Record> records) {
    return records.stream().map(r -> r instanceof SOARecord s
        ? new SOARecord(s.getName(), s.getDClass(), s.getTTL(), s.getHost(), s.getAdmin(), SIGNED_SERIAL,
            s.getRefresh(), s.getRetry(), s.getExpire(), s.getMinimum())
        : r).toList();
  }

  /** Presentation form, which keeps the case of every name (record equality ignores it, RFC 4343). */
  private static List<String> presentation(List<Record> records) {
    return records.stream().map(Record::toString).toList();
  }

  /**
   * The positive cases mean something only if each tool checks signatures of that algorithm: a flipped bit in
   * one RRSIG is refused by the gate, with its precise reason, and by every tool.
   */
  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"csk8", "csk10", "ksk13+zsk13", "csk14", "ksk15+zsk15", "csk16"})
  void aFlippedBitInOneRrsigIsRefusedForEveryAlgorithm(String keySet, @TempDir Path dir) throws Exception {
    List<SigningKey> keys = keys(keySet);
    List<Record> signed = new ZoneSigner(CLOCK, 2).sign(ORIGIN, parsed("wildcards.zone").records(), keys, 3600,
        policy("NSEC3"), SIGNED_SERIAL).records();
    Name host = Name.fromConstantString("host.w.example.");
    List<Record> broken = new ArrayList<>();
    int tag = -1;
    for (Record r : signed) {
      if (r instanceof RRSIGRecord s && s.getName().equals(host) && s.getTypeCovered() == Type.A) {
        byte[] sig = s.getSignature();
        sig[sig.length / 2] ^= 0x01;
        r = new RRSIGRecord(s.getName(), s.getDClass(), s.getTTL(), s.getTypeCovered(), s.getAlgorithm(),
            s.getOrigTTL(), s.getExpire(), s.getTimeSigned(), s.getFootprint(), s.getSigner(), sig);
        tag = s.getFootprint();
      }
      broken.add(r);
    }
    assertEquals(List.of(
        "RRSIG host.w.example./A by key tag " + tag + ": signature does not verify",
        "RRset host.w.example./A has no valid RRSIG"),
        ZoneVerifier.verify(ORIGIN, broken, published(keys), NOW, Duration.ofDays(1)).problems());
    ExternalVerifiers.assertAllRefuse(ORIGIN, broken, dir);
  }

  /**
   * Opt-out (RFC 5155 §6) may leave out empty non-terminals that lead only to insecure delegations, but not one
   * that leads to a secure delegation: without it, the gate names the missing empty non-terminal.
   */
  @Test
  void optOutLeavesOutOnlyEmptyNonTerminalsAboveInsecureDelegations(@TempDir Path dir) throws Exception {
    List<SigningKey> keys = keys("ksk13+zsk13");
    List<Record> signed = new ZoneSigner(CLOCK, 2).sign(ORIGIN, parsed("delegations.zone").records(), keys, 3600,
        policy("NSEC3-OPTOUT"), SIGNED_SERIAL).records();
    NSEC3PARAMRecord param = (NSEC3PARAMRecord) signed.stream().filter(r -> r.getType() == Type.NSEC3PARAM)
        .findFirst().orElseThrow();
    for (String name : List.of("c.example.", "b.c.example.", "d.b.c.example.", "secure.example.")) {
      assertNotNull(nsec3For(signed, param, name), name + " leads to a secure delegation");
    }
    for (String name : List.of("e.example.", "f.e.example.", "g.f.e.example.", "h.f.e.example.", "a.b.c.example.",
        "insecure.example.", "external.example.", "child.secure.example.")) {
      assertNull(nsec3For(signed, param, name), name + " is insecure or occluded");
    }

    String label = new base32(base32.Alphabet.BASE32HEX, false, true)
        .toString(param.hashName(Name.fromConstantString("b.c.example.")));
    Name owner = Name.fromConstantString(label + ".example.");
    List<Record> broken = signed.stream().filter(r -> !r.getName().equals(owner)).toList();
    List<String> problems = ZoneVerifier.verify(ORIGIN, broken, published(keys), NOW, Duration.ofDays(1)).problems();
    assertTrue(problems.contains("no NSEC3 for empty non-terminal b.c.example. (hash " + label + ")"),
        String.join("\n", problems));
    ExternalVerifiers.assertAllRefuse(ORIGIN, broken, dir);
  }

  /**
   * RFC 4035 §2.2: with two algorithms, every RRset carries an RRSIG of each. A CSK (one SEP key of its algorithm)
   * signs everything for its algorithm, while the other algorithm's KSK signs only DNSKEY and its ZSK the rest.
   */
  @Test
  void aCskOfOneAlgorithmSignsEveryRrsetBesideAnotherAlgorithmsKskAndZsk() {
    SigningKey csk = TestKeys.load("csk8");
    SigningKey ksk = TestKeys.load("ksk13");
    SigningKey zsk = TestKeys.load("zsk13");
    List<Record> signed = new ZoneSigner(CLOCK, 2).sign(ORIGIN, parsed("delegations.zone").records(),
        List.of(csk, ksk, zsk), 3600, policy("NSEC"), SIGNED_SERIAL).records();
    Map<String, Set<Integer>> tagsByRrset = new TreeMap<>();
    for (Record r : signed) {
      if (r instanceof RRSIGRecord s) {
        tagsByRrset.computeIfAbsent(s.getName() + "/" + Type.string(s.getTypeCovered()), k -> new TreeSet<>())
            .add(s.getFootprint());
      }
    }
    tagsByRrset.forEach((rrset, tags) -> assertEquals(rrset.endsWith("/DNSKEY")
        ? Set.of(csk.keyTag(), ksk.keyTag()) : Set.of(csk.keyTag(), zsk.keyTag()), tags, rrset));
    assertTrue(tagsByRrset.containsKey("secure.example./DS"));
  }

  @Test
  void rrsetsWithDifferingTtlsGetTheirLowestTtlWithAWarningEach() {
    ParsedZone zone = parsed("ttl-mismatch.zone");
    String rule = " (RFC 2181 §5.2)";
    assertEquals(List.of(
        "RRset example./NS has differing TTLs [3600, 7200]: all set to the lowest, 3600" + rule,
        "RRset deleg.example./NS has differing TTLs [3600, 86400]: all set to the lowest, 3600" + rule,
        "RRset deleg.example./DS has differing TTLs [60, 691200]: all set to the lowest, 60" + rule,
        "RRset ns.deleg.example./A has differing TTLs [300, 600]: all set to the lowest, 300" + rule,
        "RRset dup.example./A has differing TTLs [100, 200]: all set to the lowest, 100" + rule,
        "RRset dup2.example./A has differing TTLs [100, 200]: all set to the lowest, 100" + rule,
        "RRset later.example./TXT has differing TTLs [1800, 7200]: all set to the lowest, 1800" + rule,
        "RRset ns1.example./A has differing TTLs [300, 600]: all set to the lowest, 300" + rule,
        "RRset txt.example./TXT has differing TTLs [60, 120, 3600]: all set to the lowest, 60" + rule,
        "RRset *.wild.example./A has differing TTLs [10, 20]: all set to the lowest, 10" + rule,
        "dropped 2 duplicate records"), zone.warnings());
    assertEquals(100, only(zone.records(), "dup2.example.", Type.A).getTTL(), "the lowest, though seen second");

    List<Record> signed = new ZoneSigner(CLOCK, 2).sign(ORIGIN, zone.records(), keys("ksk13+zsk13"), 3600,
        policy("NSEC"), SIGNED_SERIAL).records();
    for (Record r : signed) {
      if (r instanceof NSECRecord) {
        assertEquals(120, r.getTTL(), "RFC 9077 §3: min(SOA TTL 120, MINIMUM 300)");
      }
      if (r instanceof RRSIGRecord s && s.getName().equals(Name.fromConstantString("txt.example."))) {
        assertEquals(s.getTypeCovered() == Type.TXT ? 60 : 120, s.getOrigTTL(), s.toString());
      }
    }
  }

  @Test
  void preSignedInputIsStrippedOfItsDnssecRecordsWithAWarning() {
    String stripped = "stripped DNSSEC records (the signer regenerates them): ";
    assertEquals(List.of(stripped + "23 RRSIG, 8 NSEC, 2 DNSKEY, 1 CDS, 1 CDNSKEY"),
        parsed("presigned-bind.zone").warnings());
    assertEquals(List.of(stripped + "23 RRSIG, 2 DNSKEY, 11 NSEC3, 1 NSEC3PARAM, 1 ZONEMD"),
        parsed("presigned-ldns.zone").warnings());
    // What is left is the zone the other signers were given: the same in both files.
    assertEquals(presentation(parsed("presigned-bind.zone").records()),
        presentation(parsed("presigned-ldns.zone").records()));
    assertEquals(12, parsed("presigned-bind.zone").records().size());
  }

  @Test
  void genericRdataOfAKnownTypeIsReadAsThatType() throws Exception {
    List<Record> records = parsed("rfc3597.zone").records();
    assertEquals(new ARecord(Name.fromConstantString("generic-a.example."), 1, 3600,
        InetAddress.getByName("192.0.2.3")), only(records, "generic-a.example.", Type.A));
    assertEquals(List.of("hello"), ((TXTRecord) only(records, "generic-txt.example.", Type.TXT)).getStrings());
    assertEquals(Name.fromConstantString("ns1.example."),
        ((MXRecord) only(records, "generic-mx.example.", Type.MX)).getTarget());
    assertEquals("\\# 3 ABCDEF", records.stream()
        .filter(r -> r.getType() == 65534 && r.getName().equals(Name.fromConstantString("unknown.example.")))
        .map(Record::rdataToString).filter(s -> s.contains("ABCDEF")).findFirst().orElseThrow());
    assertEquals(List.of(), parsed("rfc3597.zone").warnings());
  }

  private static Record only(List<Record> records, String name, int type) {
    List<Record> found = records.stream()
        .filter(r -> r.getName().equals(Name.fromConstantString(name)) && r.getType() == type).toList();
    assertEquals(1, found.size(), found.toString());
    return found.get(0);
  }

  /**
   * The NSEC chain of names.zone is the RFC 4034 §6.1 order: case-insensitive, label by label from the root (the
   * 255-octet name sorts by its top label, GGG...), octets compared unsigned (0 and 1 before digits and letters, 128
   * and 255 after them); two spellings of one name are one link.
   */
  @Test
  void namesSortInCanonicalOrderWhateverTheirCaseAndEscapes() {
    List<Record> signed = new ZoneSigner(CLOCK, 2).sign(ORIGIN, parsed("names.zone").records(), keys("ksk15+zsk15"),
        3600, policy("NSEC"), SIGNED_SERIAL).records();
    List<String> chain = signed.stream().filter(r -> r instanceof NSECRecord).map(r -> r.getName().toString())
        .toList();
    String longName = "l".repeat(63) + "." + "o".repeat(63) + "." + "n".repeat(63) + "." + "G".repeat(53)
        + ".example.";
    assertEquals(List.of("example.", "\\000.example.", "\\000\\001.example.", "\\001.example.",
        "0123456789abcdefghijklmnopqrstuv.example.", "a\\000.example.", "a\\.b.example.", "abc.example.",
        "Absolute.EXAMPLE.", "afsdb.example.", "at\\@sign.example.", "back\\\\slash.example.", "cname.example.",
        "Deleg.example.", "dname.example.", "dollar\\$.example.", longName, "https.example.", "ipseckey.example.",
        "kx.example.", "Sixty-three-octets-" + "x".repeat(44) + ".label.example.", "Mail.example.", "MiXeD.example.",
        "naptr.example.", "NS1.example.", "paren\\(s\\).example.", "ptr.example.", "quo\\\"te.example.", "rp.example.",
        "rt.example.", "semi\\;colon.example.", "sp\\032ace.example.", "srv.example.", "svcb.example.", "UPPER.example.",
        "zz.example.", "\\128.example.", "\\255\\255.example."), chain);
    Name longest = Name.fromConstantString(longName);
    assertEquals(255, longest.length(), "the longest name RFC 1035 §2.3.4 allows, in wire octets");
    assertTrue(signed.stream().anyMatch(r -> r instanceof RRSIGRecord s && s.getName().equals(longest)));
    assertEquals(List.of("Mail.Example.", "also.example."), signed.stream().filter(r -> r instanceof SVCBRecord)
        .map(r -> ((SVCBRecord) r).getTargetName().toString()).toList(),
        "RFC 4034 §6.3 order of the canonical RDATA, where SVCB names keep their case: 'M' (0x4d) before 'a' (0x61)");
    Name mixed = Name.fromConstantString("mixed.example.");
    assertEquals(2, signed.stream().filter(r -> r.getType() == Type.A && r.getName().equals(mixed)).count(),
        "MiXeD and MIXED are one A RRset");
  }
}
