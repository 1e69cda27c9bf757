package dev.cascade.dnssec.zone;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.NSRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.TXTRecord;

/** Batches formatted on several threads come out exactly as one {@link ZoneFileWriter} writes them, in order. */
class ParallelZoneFileWriterTest {
  @Test
  void writesWhatZoneFileWriterWritesInTheSameOrder() throws Exception {
    Name origin = Name.fromConstantString("example.");
    Name hoster = Name.fromConstantString("ns.hoster.example.net.");
    List<Record> records = new ArrayList<>();
    for (int i = 0; i < 30_000; i++) {
      Name owner = Name.fromString("d" + i, origin);
      records.add(new NSRecord(owner, DClass.IN, 86400, i % 3 == 0 ? hoster : Name.fromString("ns", owner)));
      records.add(new ARecord(owner, DClass.IN, 300, new byte[] {10, (byte) (i >> 16), (byte) (i >> 8), (byte) i}));
      if (i % 7 == 0) {
        records.add(new TXTRecord(owner, DClass.IN, 60, "text " + i));
      }
    }
    StringWriter expected = new StringWriter();
    ZoneFileWriter.write(records, expected);
    for (int threads : new int[] {1, 3}) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      long written;
      try (ParallelZoneFileWriter writer = new ParallelZoneFileWriter(out, threads)) {
        for (Record r : records) {
          writer.write(r);
        }
        written = writer.finish();
      }
      assertEquals(records.size(), written);
      assertEquals(expected.toString(), out.toString(StandardCharsets.US_ASCII), threads + " threads");
    }
  }
}
