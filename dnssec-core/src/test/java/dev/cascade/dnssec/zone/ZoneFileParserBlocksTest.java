package dev.cascade.dnssec.zone;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;

/**
 * A large zone file is parsed in blocks on several threads: the result must be exactly that of one thread, whatever
 * the file does across block boundaries. The files here are cut into blocks of a few hundred bytes.
 */
class ZoneFileParserBlocksTest {
  static final Name ORIGIN = Name.fromConstantString("example.");
  static final int SMALL_BLOCK = 300;

  /**
   * Everything that carries state from one record to the next (RFC 1035 §5.1): $ORIGIN and $TTL changes, blank
   * owners, records over several lines, comments, an $INCLUDE, duplicates and TTL mismatches far apart; with
   * {@code ttlDirective} false, no $TTL at all, so omitted TTLs come from the record before.
   */
  static String zone(long seed, boolean ttlDirective) {
    Random random = new Random(seed);
    StringBuilder z = new StringBuilder();
    z.append(ttlDirective ? "$TTL 3600\n" : "").append("$ORIGIN example.\n");
    z.append("@ 3600 IN SOA ns1 hostmaster (\n  2026010101 ; serial\n  7200 3600 1209600 300 )\n");
    z.append("  3600 NS ns1\n  NS ns2.example.net.\nns1 A 192.0.2.1\n");
    for (int i = 0; i < 400; i++) {
      switch (random.nextInt(9)) {
        case 0 -> z.append("$ORIGIN sub").append(i % 3).append(".example.\nd").append(i).append(" NS ns.d").append(i)
            .append("\n  ").append(random.nextBoolean() ? "7200 " : "").append("DS 12345 13 2 ")
            .append("0123456789ABCDEF".repeat(4)).append("\n$ORIGIN example.\n");
        case 1 -> z.append("$TTL ").append(60 + random.nextInt(5) * 60).append('\n');
        case 2 -> z.append("t").append(i).append(" TXT ( \"first\"\n   \"second; not a comment\" ) ; a comment\n");
        case 3 -> z.append("; a comment line\n\n");
        case 4 -> z.append("dup 300 A 192.0.2.").append(random.nextInt(3)).append('\n');
        case 5 -> z.append("mixed ").append(100 + random.nextInt(3)).append(" IN AAAA 2001:db8::").append(i).append('\n');
        case 6 -> z.append("h").append(i).append(" IN 86400 A 10.0.").append(i / 256).append('.').append(i % 256)
            .append("\n  AAAA 2001:db8::").append(i).append('\n');
        case 7 -> z.append("$INCLUDE part.inc inc").append(i).append(".example.\n");
        default -> z.append("d").append(i).append(" NS ns").append(random.nextInt(4)).append(".hoster.example.\n");
      }
    }
    return z.toString();
  }

  static Path write(Path dir, String text) throws Exception {
    Files.writeString(dir.resolve("part.inc"), "www 300 A 192.0.2.80\n  TXT \"included\"\n");
    Path file = dir.resolve("example.zone");
    Files.writeString(file, text);
    return file;
  }

  @Test
  void blocksOnThreadsGiveWhatOneThreadGives(@TempDir Path dir) throws Exception {
    for (long seed = 1; seed <= 20; seed++) {
      for (boolean ttlDirective : new boolean[] {true, false}) {
        Path file = write(dir, zone(seed, ttlDirective));
        ParsedZone one = ZoneFileParser.parse(file, ORIGIN, 1);
        ParsedZone blocks = ZoneFileParser.parse(file, ORIGIN, 3, SMALL_BLOCK);
        String what = "seed " + seed + (ttlDirective ? " with" : " without") + " $TTL";
        assertTrue(one.records().size() > 250, what);
        assertEquals(one.records(), blocks.records(), what);
        // Record.equals ignores the TTL: compare it too.
        assertEquals(one.records().stream().map(r -> r.getTTL()).toList(),
            blocks.records().stream().map(r -> r.getTTL()).toList(), what);
        assertEquals(one.warnings(), blocks.warnings(), what);
        assertEquals(one.notes(), blocks.notes(), what);
        assertEquals(one.byteCount(), blocks.byteCount(), what);
        assertEquals(one.serial(), blocks.serial(), what);
      }
    }
  }

  @Test
  void theFirstErrorInFileOrderIsReportedWithItsLine(@TempDir Path dir) throws Exception {
    String text = zone(7, true);
    String[] lines = text.split("\n", -1);
    int bad = recordStart(lines, lines.length * 2 / 3);
    int later = recordStart(lines, bad + 50);
    lines[bad] = "broken A not-an-address";
    lines[later] = "also-broken AAAA nothing";
    Path file = write(dir, String.join("\n", lines));
    ZoneInputException one = assertThrows(ZoneInputException.class, () -> ZoneFileParser.parse(file, ORIGIN, 1));
    ZoneInputException blocks = assertThrows(ZoneInputException.class,
        () -> ZoneFileParser.parse(file, ORIGIN, 3, SMALL_BLOCK));
    assertEquals(bad + 1, one.line(), one.getMessage());
    assertEquals(one.getMessage(), blocks.getMessage());
  }

  /**
   * The parser counts the bytes of the zone file it has parsed, of the file's size, up to the whole file, on one
   * thread (a buffer at a time) and on several (a block at a time); the included file does not count.
   */
  @Test
  void progressCountsTheParsedBytesOfTheZoneFile(@TempDir Path dir) throws Exception {
    Path file = write(dir, zone(5, true));
    long size = Files.size(file);
    for (int threads : new int[] {1, 3}) {
      List<long[]> counts = new ArrayList<>();
      ZoneFileParser.parse(file, ORIGIN, threads, SMALL_BLOCK, (done, total) -> counts.add(new long[] {done, total}));
      String what = threads + " thread(s): " + counts.stream().map(Arrays::toString).toList();
      assertTrue(threads == 1 ? counts.size() >= 2 : counts.size() > size / SMALL_BLOCK / 2, what);
      for (int i = 0; i < counts.size(); i++) {
        assertEquals(size, counts.get(i)[1], what);
        assertTrue(i == 0 || counts.get(i)[0] >= counts.get(i - 1)[0], what);
      }
      assertEquals(size, counts.get(counts.size() - 1)[0], what);
    }
  }

  /**
   * Owners that share the first octets of their keys (the sort looks at eight octets first), an owner's records
   * spread over the file, and upper-case spellings of one owner: the records come out in canonical order (RFC 4034
   * §6), the same on one thread and on several.
   */
  @Test
  void ownersSharingLongPrefixesComeInCanonicalOrder(@TempDir Path dir) throws Exception {
    Random random = new Random(11);
    StringBuilder z = new StringBuilder("$TTL 300\n@ SOA ns1 hostmaster 1 7200 3600 1209600 300\n@ NS ns1\n");
    for (int i = 0; i < 600; i++) {
      int n = random.nextInt(150);
      String owner = switch (random.nextInt(4)) {
        case 0 -> "customer-" + n;
        case 1 -> "CUSTOMER-" + n;
        case 2 -> "x.customer-" + n;
        default -> "customer-" + n + ".deeper.customer-" + n;
      };
      z.append(owner).append(random.nextBoolean() ? " A 192.0.2." : " TXT t").append(random.nextInt(4)).append('\n');
    }
    Path file = write(dir, z.toString());
    ParsedZone one = ZoneFileParser.parse(file, ORIGIN, 1);
    ParsedZone blocks = ZoneFileParser.parse(file, ORIGIN, 3, SMALL_BLOCK);
    List<Record> sorted = new ArrayList<>(one.records());
    sorted.sort(CanonicalOrder.RECORDS);
    assertEquals(sorted, one.records());
    assertEquals(one.records(), blocks.records());
    assertEquals(one.warnings(), blocks.warnings());
    assertEquals(one.notes(), blocks.notes());
  }

  /** An error found while merging an owner's records is the first in canonical order, on one thread or several. */
  @Test
  void theFirstMergeErrorInCanonicalOrderIsReported(@TempDir Path dir) throws Exception {
    String text = zone(3, true) + "zz-late CNAME a.example.\nzz-late A 192.0.2.9\n"
        + "aa-early A 192.0.2.8\naa-early CNAME b.example.\n";
    Path file = write(dir, text);
    ZoneInputException one = assertThrows(ZoneInputException.class, () -> ZoneFileParser.parse(file, ORIGIN, 1));
    ZoneInputException blocks = assertThrows(ZoneInputException.class,
        () -> ZoneFileParser.parse(file, ORIGIN, 3, SMALL_BLOCK));
    assertTrue(one.getMessage().contains("aa-early"), one.getMessage());
    assertEquals(one.getMessage(), blocks.getMessage());
  }

  /** The radix sort of key prefixes orders as a stable sort by unsigned value, high bit and equal values included. */
  @Test
  void prefixesSortAsAStableUnsignedSort() {
    Random random = new Random(5);
    for (int round = 0; round < 50; round++) {
      long[] prefix = new long[random.nextInt(2000)];
      for (int i = 0; i < prefix.length; i++) {
        prefix[i] = switch (random.nextInt(4)) {
          case 0 -> random.nextLong();
          case 1 -> random.nextInt(8);
          case 2 -> Long.MIN_VALUE + random.nextInt(8);
          default -> (long) random.nextInt(4) << 40;
        };
      }
      List<Integer> expected = new ArrayList<>();
      for (int i = 0; i < prefix.length; i++) {
        expected.add(i);
      }
      expected.sort((a, b) -> Long.compareUnsigned(prefix[a], prefix[b]));
      assertEquals(expected, Arrays.stream(CanonicalOrder.sortByPrefix(prefix)).boxed().toList());
    }
  }

  /** The first line at or after {@code from} that starts a record of its own (an owner in the first column). */
  static int recordStart(String[] lines, int from) {
    int i = from;
    while (lines[i].isEmpty() || !Character.isLetter(lines[i].charAt(0))) {
      i++;
    }
    return i;
  }
}
