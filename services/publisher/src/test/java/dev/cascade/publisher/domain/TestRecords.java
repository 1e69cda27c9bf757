package dev.cascade.publisher.domain;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.xbill.DNS.Master;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.TextParseException;

/** Zones in presentation format for the publisher's tests. */
public final class TestRecords {

  private TestRecords() {}

  public static Name name(String text) {
    try {
      return Name.fromString(text);
    } catch (TextParseException e) {
      throw new IllegalArgumentException(e);
    }
  }

  /** Records parsed by dnsjava's master file reader (RFC 1035 §5.1). */
  public static List<Record> parse(String text) {
    List<Record> records = new ArrayList<>();
    try (Master master = new Master(new ByteArrayInputStream(text.getBytes(StandardCharsets.US_ASCII)), Name.root, 3600)) {
      for (Record r = master.nextRecord(); r != null; r = master.nextRecord()) {
        records.add(r);
      }
    } catch (IOException e) {
      throw new IllegalArgumentException(e);
    }
    return records;
  }

  /** A zone with an SOA of {@code serial}, an NS, and {@code extra} TXT records of about 200 octets each. */
  public static List<Record> zone(String origin, long serial, int extra) {
    StringBuilder text = new StringBuilder();
    text.append(origin).append(" 3600 IN SOA ns1.").append(origin).append(" hostmaster.").append(origin)
        .append(' ').append(serial).append(" 7200 3600 1209600 300\n");
    text.append(origin).append(" 3600 IN NS ns1.").append(origin).append('\n');
    text.append("ns1.").append(origin).append(" 3600 IN A 192.0.2.53\n");
    String payload = "x".repeat(200);
    for (int i = 0; i < extra; i++) {
      text.append("txt").append(i).append('.').append(origin).append(" 3600 IN TXT \"").append(payload).append("\"\n");
    }
    return parse(text.toString());
  }

  public static ZoneSnapshot snapshot(String origin, String versionId, long serial, int extra) {
    try {
      return ZoneSnapshot.of(name(origin), versionId, zone(origin, serial, extra));
    } catch (InvalidZoneException e) {
      throw new IllegalStateException(e);
    }
  }
}
