package dev.cascade.dnssec.zone;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;

/**
 * The parser reads plain one-line NS, A, AAAA and DS records itself, without dnsjava's tokenizer; a comment at the
 * end of a line sends the same record through dnsjava. Both ways must give the same record, or the same error.
 */
class ZoneFileParserFastPathTest {
  static final Name ORIGIN = Name.fromConstantString("example.");
  static final String HEAD = "$ORIGIN example.\n@ 3600 IN SOA ns1 hostmaster 1 7200 3600 1209600 300\n@ 3600 NS ns1\n";

  @ParameterizedTest
  @ValueSource(strings = {
      "a 300 A 192.0.2.1", "a 300 A 0.0.0.0", "a 300 A 255.255.255.255", "a 300 A 010.0.0.1", "a 300 A 1.2.3",
      "a 300 A 1.2.3.4.5", "a 300 A 256.1.1.1", "a 300 A 1..2.3", "a 300 A 1.2.3.", "a 300 A 99999999999.1.1.1",
      "a 86400 IN A 192.0.2.1", "a IN 1h A 192.0.2.1", "a 1w2d A 192.0.2.1", "a 0 A 192.0.2.1",
      "a 999999999 A 192.0.2.1", "a 2147483647 A 192.0.2.1", "a 4294967296 A 192.0.2.1",
      "a 300 AAAA 2001:db8::1", "a 300 AAAA ::ffff:192.0.2.1",
      "d 300 DS 12345 13 2 0123456789ABCDEF0123456789abcdef0123456789ABCDEF0123456789ABCDEF",
      "d 300 DS 12345 13 2 01234567 89ABCDEF 0123456789abcdef0123456789ABCDEF0123456789ABCDEF",
      "d 300 DS 65535 255 255 00", "d 300 DS 65536 13 2 00", "d 300 DS 1 256 2 00", "d 300 DS 1 13 2 0",
      "d 300 DS 1 13 2 0g", "d 300 DS -1 13 2 00", "d 300 DS 0000000001 13 2 00",
      "n 300 NS ns.example.net.", "n 300 NS ns", "n 300 NS Ns.Example.NET."})
  void fastPathAndDnsjavaAgree(String line, @TempDir Path dir) throws Exception {
    assertEquals(outcome(dir, "dnsjava.zone", line + " ; through dnsjava"), outcome(dir, "fast.zone", line));
  }

  /** The record parsed from the line (with its TTL, which Record.equals ignores), or the error without the file. */
  static String outcome(Path dir, String name, String line) throws Exception {
    Path file = dir.resolve(name);
    Files.writeString(file, HEAD + line + "\n");
    try {
      List<Record> records = ZoneFileParser.parse(file, ORIGIN, 1).records();
      Record r = records.stream().filter(x -> !x.getName().equals(ORIGIN)).findFirst().orElseThrow();
      return r.getTTL() + " " + r;
    } catch (ZoneInputException e) {
      return "line " + e.line() + ": " + e.reason();
    }
  }
}
