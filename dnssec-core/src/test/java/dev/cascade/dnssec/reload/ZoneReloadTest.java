package dev.cascade.dnssec.reload;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cascade.dnssec.compact.CompactDiff;
import dev.cascade.dnssec.compact.CompactRecords;
import dev.cascade.dnssec.progress.Progress;
import dev.cascade.dnssec.zone.ParsedZone;
import dev.cascade.dnssec.zone.ZoneFileParser;
import dev.cascade.dnssec.zone.ZoneInputException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;

/**
 * A reload that parses only the changed parts of a zone file gives exactly what a full parse of the file gives:
 * records (octet for octet, TTLs and the case of names included), digest, serial, warnings and errors. The blocks here
 * hold a few records each, so that a file of a few hundred records has many.
 */
class ZoneReloadTest {
  static final Name ORIGIN = Name.fromConstantString("example.");
  /** A few records a block: an edit touches one block of many. */
  static final int SMALL_BLOCKS = 4;

  /** One logical record or directive of a random zone file, possibly over several lines. */
  static String unit(Random random, int i) {
    return switch (random.nextInt(12)) {
      case 0 -> "$ORIGIN sub" + i % 3 + ".example.\nd" + i + " NS ns.d" + i + "\n  " + (random.nextBoolean() ? "7200 " : "")
          + "DS 12345 13 2 " + "0123456789ABCDEF".repeat(4) + "\n$ORIGIN example.\n";
      case 1 -> "$TTL " + (60 + random.nextInt(5) * 60) + "\n";
      case 2 -> "t" + i + " 300 TXT ( \"first\"\n   \"second; not a comment\" ) ; a comment\n";
      case 3 -> "; a comment line\n\n";
      case 4 -> "Mixed" + i % 7 + ".example. " + (random.nextBoolean() ? "600 IN" : "IN 600") + " AAAA 2001:db8::" + i
          + "\n";
      case 5 -> "h" + i + " IN 86400 A 10.0." + i / 256 + "." + i % 256 + "\n  AAAA 2001:db8::" + i + "\n";
      case 6 -> "m" + i + " 3600 MX ( 10\n  mail" + i % 5 + " )\n";
      case 7 -> "w" + i + " CNAME www.example.net.\n";
      default -> "d" + i + " 3600 NS ns" + random.nextInt(4) + ".hoster.example.\n"
          + (random.nextBoolean() ? "D" + i + " 3600 DS 12345 13 2 " + "89ABCDEF".repeat(8) + "\n" : "");
    };
  }

  static List<String> zone(Random random, boolean ttlDirective, int units) {
    List<String> z = new ArrayList<>();
    z.add((ttlDirective ? "$TTL 3600\n" : "") + "$ORIGIN example.\n");
    z.add("@ 3600 IN SOA ns1 hostmaster (\n  2026010101 ; serial\n  7200 3600 1209600 300 )\n");
    z.add("  3600 NS ns1\n  NS ns2.example.net.\nns1 3600 A 192.0.2.1\n");
    for (int i = 0; i < units; i++) {
      z.add(unit(random, i));
    }
    return z;
  }

  /** One random edit of the file's units or lines, some of them making the file normalise or fail. */
  static void edit(Random random, List<String> z, int round) {
    int at = 3 + random.nextInt(z.size() - 3);
    int fresh = 1000 + round;
    switch (random.nextInt(14)) {
      case 0, 1 -> z.set(at, unit(random, fresh));
      case 2, 3 -> z.add(at, unit(random, fresh));
      case 4 -> z.remove(at);
      case 5, 6 -> z.set(1, z.get(1).replaceFirst("(\\d{10})", String.valueOf(2026010101L + round)));
      case 7 -> z.add(at, "$TTL " + (60 + random.nextInt(5) * 60) + "\n");
      case 8 -> z.add(at, z.get(3 + random.nextInt(z.size() - 3)));  // a duplicate, or a directive again
      case 9 -> z.add(at, switch (random.nextInt(4)) {
        case 0 -> "d" + random.nextInt(50) + " 3600 RRSIG NS 13 2 3600 20300101000000 20200101000000 1 example. AAAA\n";
        case 1 -> "d" + random.nextInt(50) + " 60 NS ns9.hoster.example.\n";
        case 2 -> "w" + random.nextInt(50) + " 300 A 192.0.2.7\n";
        default -> "D" + random.nextInt(50) + " 3600 NS ns1.hoster.example.\n";
      });
      case 10 -> z.add(at, random.nextBoolean() ? "broken 300 A not-an-address\n" : "$BOGUS directive\n");
      case 11 -> {
        // A line of a unit removed: a parenthesis may open and not close.
        String[] lines = z.get(at).split("\n", -1);
        int cut = random.nextInt(lines.length);
        List<String> kept = new ArrayList<>(List.of(lines));
        kept.remove(cut);
        z.set(at, String.join("\n", kept));
      }
      case 12 -> z.set(at, z.get(at).toUpperCase());
      default -> {
        // Undo an earlier breakage sometimes, so that the file becomes loadable again.
        z.removeIf(u -> u.startsWith("broken") || u.startsWith("$BOGUS"));
      }
    }
  }

  @Test
  void everyReloadGivesWhatAFullParseGives(@TempDir Path dir) throws Exception {
    int incremental = 0;
    int loads = 0;
    int errors = 0;
    for (long seed = 1; seed <= 8; seed++) {
      Random random = new Random(seed);
      boolean ttlDirective = seed % 2 == 0;
      List<String> z = zone(random, ttlDirective, 300);
      Path file = dir.resolve("example.zone");
      ZoneReload reload = new ZoneReload(1, seed % 3 == 0 ? 1 : SMALL_BLOCKS);
      ZoneReload.Baseline baseline = null;
      for (int round = 0; round < 40; round++) {
        if (round > 0) {
          edit(random, z, round);
        }
        Files.writeString(file, String.join("", z));
        String what = "seed " + seed + " round " + round;
        ZoneReload.Baseline previous = baseline;
        ParsedZone full;
        try {
          full = ZoneFileParser.parse(file, ORIGIN, 1);
        } catch (ZoneInputException expected) {
          ZoneInputException reloaded =
              assertThrows(ZoneInputException.class, () -> reload.load(file, ORIGIN, previous, Progress.NONE), what);
          assertEquals(expected.getMessage(), reloaded.getMessage(), what);
          errors++;
          continue;
        }
        ZoneReload.Result result = reload.load(file, ORIGIN, previous, Progress.NONE);
        assertSameAsFull(full, result, what + " (" + result.how() + ")");
        if (previous != null) {
          CompactDiff difference = result.differenceFrom(previous.records());
          CompactDiff between = CompactDiff.between(previous.records(), result.records());
          assertEquals(octets(between.removed()), octets(difference.removed()), what);
          assertEquals(octets(between.added()), octets(difference.added()), what);
        }
        loads++;
        incremental += result.incremental() ? 1 : 0;
        baseline = result.baseline();
      }
    }
    // The property holds either way; the incremental way must also be the one usually taken, and errors met.
    assertTrue(incremental > loads / 3, incremental + " of " + loads + " loads incremental");
    assertTrue(errors > 10, errors + " errors");
  }

  static void assertSameAsFull(ParsedZone full, ZoneReload.Result result, String what) {
    CompactRecords expected = CompactRecords.ofSorted(full.records());
    assertEquals(octets(expected), octets(result.records()), what);
    assertEquals(expected.digest(), result.records().digest(), what);
    assertEquals(full.serial(), result.serial(), what);
    // The incremental way takes only changes that need no normalisation, and leaves the zone-wide notes (missing
    // glue, occluded data) to the next full parse.
    assertEquals(result.incremental() ? full.warnings() : full.warningsAndNotes(), result.warnings(), what);
    assertEquals(full.byteCount(), result.byteCount(), what);
  }

  /** Each record's octets, owner as spelled and TTL included. */
  static List<String> octets(CompactRecords records) {
    return records.toRecords().stream().map(r -> HexFormat.of().formatHex(r.toWire(Section.ANSWER))).toList();
  }

  // Targeted: each way of falling back to a full parse, and the one-record edit that does not.

  static final String BASE = """
      $TTL 3600
      @ SOA ns1 hostmaster 2026010101 7200 3600 1209600 300
        NS ns1
      ns1 A 192.0.2.1
      """;

  static String delegations(int from, int to) {
    StringBuilder z = new StringBuilder();
    for (int i = from; i < to; i++) {
      z.append("d").append(i).append(" NS ns").append(i % 7).append(".hoster.example.\n");
    }
    return z.toString();
  }

  ZoneReload.Result load(ZoneReload reload, Path file, String text, ZoneReload.Baseline previous) throws Exception {
    Files.writeString(file, text);
    ZoneReload.Result result = reload.load(file, ORIGIN, previous, Progress.NONE);
    assertSameAsFull(ZoneFileParser.parse(file, ORIGIN, 1), result, result.how());
    return result;
  }

  @Test
  void aOneRecordEditIsReparsedAlone(@TempDir Path dir) throws Exception {
    ZoneReload reload = new ZoneReload(2, SMALL_BLOCKS);
    Path file = dir.resolve("z");
    ZoneReload.Result first = load(reload, file, BASE + delegations(0, 2000), null);
    assertFalse(first.incremental());
    assertTrue(first.how().contains("no previous load"), first.how());
    String edited = (BASE + delegations(0, 2000)).replace("2026010101", "2026010102")
        .replace("d1000 NS ns6.hoster.example.", "d1000 NS ns9.hoster.example.");
    ZoneReload.Result second = load(reload, file, edited, first.baseline());
    assertTrue(second.incremental(), second.how());
    assertEquals(2026010102L, second.serial());
    assertTrue(second.how().contains("for 2 removed and 2 added records"), second.how());
  }

  @Test
  void aLoadThatNormalisedIsNotReused(@TempDir Path dir) throws Exception {
    ZoneReload reload = new ZoneReload(1, SMALL_BLOCKS);
    Path file = dir.resolve("z");
    String duplicated = BASE + delegations(0, 100) + "d5 NS ns5.hoster.example.\n";
    ZoneReload.Result first = load(reload, file, duplicated, null);
    assertEquals(1, normalisations(first), first.warnings().toString());
    ZoneReload.Result second = load(reload, file, duplicated + "new A 192.0.2.9\n", first.baseline());
    assertFalse(second.incremental());
    assertTrue(second.how().contains("not reusable: its load normalised the file (1 warning)"), second.how());
  }

  @Test
  void changesThatANormalisationWouldTouchAreParsedInFull(@TempDir Path dir) throws Exception {
    String[] additions = {
        "d7 NS ns0.hoster.example.\n",  // a duplicate of a record already there
        "d7 60 NS ns8.hoster.example.\n",  // another TTL in the RRset
        "d7 RRSIG NS 13 2 3600 20300101000000 20200101000000 1 example. AAAA\n",  // stripped
    };
    for (String addition : additions) {
      ZoneReload reload = new ZoneReload(1, SMALL_BLOCKS);
      Path file = dir.resolve("z");
      ZoneReload.Result first = load(reload, file, BASE + delegations(0, 100), null);
      ZoneReload.Result second = load(reload, file, BASE + delegations(0, 50) + addition + delegations(50, 100),
          first.baseline());
      assertFalse(second.incremental(), addition);
      assertTrue(second.how().contains("the change is not taken as it is"), second.how());
      assertEquals(1, normalisations(second), addition);
    }
  }

  /** The warnings of {@code result} that are normalisations, not the note on the hosts' missing glue that follows. */
  private static long normalisations(ZoneReload.Result result) {
    return result.warnings().stream().filter(w -> !w.contains("in-zone name server(s) without")).count();
  }

  @Test
  void errorsAreThoseOfAFullParse(@TempDir Path dir) throws Exception {
    String[] additions = {"broken A not-an-address\n", "d7 CNAME elsewhere.example.\n", "outside.example.net. A 192.0.2.1\n"};
    for (String addition : additions) {
      ZoneReload reload = new ZoneReload(1, SMALL_BLOCKS);
      Path file = dir.resolve("z");
      ZoneReload.Result first = load(reload, file, BASE + delegations(0, 100), null);
      Files.writeString(file, BASE + delegations(0, 50) + addition + delegations(50, 100));
      ZoneInputException full = assertThrows(ZoneInputException.class, () -> ZoneFileParser.parse(file, ORIGIN, 1));
      ZoneInputException reloaded = assertThrows(ZoneInputException.class,
          () -> reload.load(file, ORIGIN, first.baseline(), Progress.NONE));
      assertEquals(full.getMessage(), reloaded.getMessage(), addition);
      assertTrue(reloaded.line() != null && reloaded.line() > 50, reloaded.getMessage());
    }
  }

  @Test
  void aDirectiveAfterAParenthesisIsParsedInFull(@TempDir Path dir) throws Exception {
    ZoneReload reload = new ZoneReload(1, SMALL_BLOCKS);
    Path file = dir.resolve("z");
    String text = BASE + delegations(0, 50) + "( $TTL 60 )\n" + delegations(50, 100);
    ZoneReload.Result first = load(reload, file, text, null);
    ZoneReload.Result second = load(reload, file, text.replace("( $TTL 60 )", "( $TTL 120 )"), first.baseline());
    assertFalse(second.incremental());
    assertTrue(second.how().contains("starts with a parenthesis"), second.how());
  }

  @Test
  void anIncludeIsParsedInFull(@TempDir Path dir) throws Exception {
    Files.writeString(dir.resolve("part.inc"), "www 300 A 192.0.2.80\n");
    ZoneReload reload = new ZoneReload(1, SMALL_BLOCKS);
    Path file = dir.resolve("z");
    String text = BASE + delegations(0, 100) + "$INCLUDE part.inc\n";
    ZoneReload.Result first = load(reload, file, text, null);
    Files.writeString(dir.resolve("part.inc"), "www 300 A 192.0.2.81\n");
    ZoneReload.Result second = load(reload, file, text, first.baseline());
    assertFalse(second.incremental());
    assertTrue(second.how().contains("it has an $INCLUDE at line"), second.how());
  }

  @Test
  void muchChangedOrAnotherFileIsParsedInFull(@TempDir Path dir) throws Exception {
    ZoneReload reload = new ZoneReload(1, SMALL_BLOCKS);
    Path file = dir.resolve("z");
    ZoneReload.Result first = load(reload, file, BASE + delegations(0, 100), null);
    ZoneReload.Result much = load(reload, file, BASE + delegations(100, 200), first.baseline());
    assertFalse(much.incremental());
    assertTrue(much.how().contains("more than 1/4 of the text changed"), much.how());
    ZoneReload.Result other = load(reload, dir.resolve("other"), BASE + delegations(100, 201), much.baseline());
    assertFalse(other.incremental());
    assertTrue(other.how().contains("another file"), other.how());
  }

  @Test
  void aChangedTtlDirectiveReparsesTheBlocksAfterIt(@TempDir Path dir) throws Exception {
    ZoneReload reload = new ZoneReload(1, SMALL_BLOCKS);
    Path file = dir.resolve("z");
    String before = BASE + delegations(0, 500) + "$TTL 7200\n" + delegations(500, 520);
    ZoneReload.Result first = load(reload, file, before, null);
    ZoneReload.Result second = load(reload, file, before.replace("$TTL 7200", "$TTL 600"), first.baseline());
    assertTrue(second.incremental(), second.how());
    List<Record> changed = second.records().toRecords().stream().filter(r -> r.getTTL() == 600).toList();
    assertEquals(20, changed.size());
  }
}
