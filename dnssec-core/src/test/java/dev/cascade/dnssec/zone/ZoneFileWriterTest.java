package dev.cascade.dnssec.zone;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.DSRecord;
import org.xbill.DNS.NSEC3Record;
import org.xbill.DNS.NSRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.RRSIGRecord;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

/**
 * {@link ZoneFileWriter} formats names and the RDATA of NS, DS, A, AAAA, NSEC3 and RRSIG itself: for many random
 * records of those types, with names full of characters that need escaping, each line must be what dnsjava prints.
 */
class ZoneFileWriterTest {
  /** Octets that RFC 1035 §5.1 escaping treats specially, or that sit at the edges of the printable range. */
  private static final byte[] AWKWARD = {'.', '"', '(', ')', ';', '\\', '@', '$', ' ', 0, 0x1F, 0x21, 0x7E, 0x7F,
      (byte) 0x80, (byte) 0xFF, '*', '_', '-', '/'};
  private static final int[] SIGNED_TYPES = {Type.A, Type.NS, Type.SOA, Type.MX, Type.TXT, Type.AAAA, Type.DS,
      Type.RRSIG, Type.NSEC, Type.DNSKEY, Type.NSEC3PARAM, Type.CAA, 65534, 0xFF00};

  @Test
  void linesAreWhatDnsjavaPrints() throws IOException {
    Random random = new Random(20260101);
    List<Record> records = new ArrayList<>(RecordTextTest.samples());
    List<Name> servers = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      servers.add(randomName(random));
    }
    for (Name owner : fixedNames()) {
      addRecords(records, owner, servers, random);
    }
    for (int i = 0; i < 4000; i++) {
      addRecords(records, randomName(random), servers, random);
    }
    records.add(Record.newRecord(Name.root, Type.DS, DClass.IN, 0));

    List<String> expected = new ArrayList<>();
    for (Record r : records) {
      expected.add(r.getName() + "\t" + r.getTTL() + "\tIN\t" + Type.string(r.getType()) + "\t" + r.rdataToString());
    }
    StringWriter written = new StringWriter();
    ZoneFileWriter.write(records, written);
    assertLines(expected, written.toString());
    // In two batches that split a run of records under one owner, as a formatting thread's writer gets them.
    int split = records.size() / 2;
    while (records.get(split - 1).getName() != records.get(split).getName()) {
      split++;
    }
    ZoneFileWriter batches = new ZoneFileWriter();
    String first = new String(batches.format(records.subList(0, split)), StandardCharsets.US_ASCII);
    String second = new String(batches.format(records.subList(split, records.size())), StandardCharsets.US_ASCII);
    assertLines(expected, first + second);
  }

  private static void assertLines(List<String> expected, String text) {
    String[] lines = text.split("\n", -1);
    assertEquals(expected.size() + 1, lines.length, "lines");
    for (int i = 0; i < expected.size(); i++) {
      assertEquals(expected.get(i), lines[i], "record " + i);
    }
    assertEquals("", lines[expected.size()], "text after the last newline");
  }

  /** Names at the edges: the root, escapes written by hand, the longest label, the most labels. */
  private static List<Name> fixedNames() throws IOException {
    List<Name> names = new ArrayList<>();
    names.add(Name.root);
    names.add(Name.fromString("odd\\.dot\\\"quote\\032space\\@at\\$dollar\\(\\)\\;\\\\.MiXeD.example."));
    names.add(Name.fromString("\\000\\009\\010\\127\\128\\255.example."));
    names.add(Name.fromString("*.example."));
    names.add(Name.fromString("a".repeat(63) + ".example."));
    names.add(Name.fromString("a.".repeat(127)));
    return names;
  }

  /** A run of records under one owner object, as a signed zone has them (a delegation, NSEC3s, signatures). */
  private static void addRecords(List<Record> records, Name owner, List<Name> servers, Random random) {
    long ttl = random.nextInt(4) == 0 ? random.nextInt(Integer.MAX_VALUE) : 86400;
    for (int i = 0; i < 1 + random.nextInt(3); i++) {
      Name target = random.nextBoolean() ? servers.get(random.nextInt(servers.size())) : randomName(random);
      records.add(new NSRecord(owner, DClass.IN, ttl, target));
    }
    // SHA-256 (RFC 4509), or a digest type dnsjava does not know, which takes a digest of any length.
    boolean sha256 = random.nextBoolean();
    records.add(new DSRecord(owner, DClass.IN, ttl, random.nextInt(65536), random.nextInt(256),
        sha256 ? 2 : 7 + random.nextInt(249), bytes(random, sha256 ? 32 : random.nextInt(65))));
    records.add(new ARecord(owner, DClass.IN, ttl, bytes(random, 4)));
    records.add(new AAAARecord(owner, DClass.IN, ttl, ipv6(random)));
    byte[] salt = switch (random.nextInt(3)) {
      case 0 -> null;
      case 1 -> new byte[0];
      default -> bytes(random, 1 + random.nextInt(255));
    };
    records.add(new NSEC3Record(owner, DClass.IN, ttl, random.nextInt(256), random.nextInt(256),
        random.nextInt(65536), salt, bytes(random, random.nextInt(41)), types(random)));
    for (int i = 0; i < 1 + random.nextInt(2); i++) {
      Name signer = random.nextBoolean() ? servers.get(0) : randomName(random);
      records.add(new RRSIGRecord(owner, DClass.IN, ttl, SIGNED_TYPES[random.nextInt(SIGNED_TYPES.length)],
          random.nextInt(256), random.nextInt() >>> 1, time(random), time(random), random.nextInt(65536),
          signer, bytes(random, random.nextInt(200))));
    }
  }

  /** Random labels of random octets, many of them awkward or upper case, within the 255 octets of a name. */
  private static Name randomName(Random random) {
    byte[] wire = new byte[255];
    int length = 0;
    int labels = random.nextInt(6);
    for (int i = 0; i < labels; i++) {
      int size = random.nextInt(10) == 0 ? 1 + random.nextInt(63) : 1 + random.nextInt(12);
      if (length + 1 + size + 1 > wire.length) {
        break;
      }
      wire[length++] = (byte) size;
      for (int j = 0; j < size; j++) {
        wire[length++] = switch (random.nextInt(5)) {
          case 0 -> AWKWARD[random.nextInt(AWKWARD.length)];
          case 1 -> (byte) random.nextInt(256);
          case 2 -> (byte) ('A' + random.nextInt(26));
          default -> (byte) ('a' + random.nextInt(26));
        };
      }
    }
    wire[length++] = 0;
    try {
      return new Name(Arrays.copyOf(wire, length));
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Random addresses; IPv4-mapped ones (RFC 4291 §2.5.5.2, which Java prints as such) and ones that miss being that
   * by one octet; ones with runs of zero groups and of leading zero digits; the unspecified address.
   */
  private static byte[] ipv6(Random random) {
    byte[] a = bytes(random, 16);
    switch (random.nextInt(8)) {
      case 0 -> Arrays.fill(a, (byte) 0);
      case 1, 2 -> {
        Arrays.fill(a, 0, 10, (byte) 0);
        Arrays.fill(a, 10, 12, (byte) 0xFF);
      }
      case 3 -> {
        Arrays.fill(a, 0, 10, (byte) 0);
        Arrays.fill(a, 10, 12, (byte) 0xFF);
        a[random.nextInt(12)] = 1;
      }
      case 4, 5 -> {
        for (int i = 0; i < 16; i++) {
          a[i] = (byte) (random.nextInt(3) == 0 ? a[i] : random.nextBoolean() ? a[i] & 0x0F : 0);
        }
      }
    }
    return a;
  }

  private static int[] types(Random random) {
    int[] types = new int[random.nextInt(6)];
    for (int i = 0; i < types.length; i++) {
      types[i] = random.nextBoolean() ? SIGNED_TYPES[random.nextInt(SIGNED_TYPES.length)] : 1 + random.nextInt(65535);
    }
    return types;
  }

  /** Any time RFC 4034 §3.1.5's 32-bit field can hold. */
  private static Instant time(Random random) {
    return Instant.ofEpochSecond(random.nextLong() >>> 32);
  }

  private static byte[] bytes(Random random, int length) {
    byte[] b = new byte[length];
    random.nextBytes(b);
    return b;
  }
}
