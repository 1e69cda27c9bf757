package dev.cascade.dnssec.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.cascade.dnssec.compact.CompactRecords;
import java.net.InetAddress;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Name;
import org.xbill.DNS.RRSIGRecord;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

class SignatureExpiryTest {

  private static final Name ORIGIN = Name.fromConstantString("example.test.");
  private static final Instant INCEPTION = Instant.parse("2026-12-01T00:00:00Z");

  private static RRSIGRecord rrsig(String owner, Instant expiration) throws Exception {
    return new RRSIGRecord(Name.fromString(owner, ORIGIN), DClass.IN, 3600, Type.A, 13, 3600, expiration, INCEPTION,
        12345, ORIGIN, new byte[64]);
  }

  @Test
  void theEarliestExpirationAnywhereInTheVersionIsFound() throws Exception {
    Instant earliest = Instant.parse("2026-12-10T08:30:00Z");
    List<Record> records = new ArrayList<>();
    for (int i = 0; i < 500; i++) {
      records.add(new ARecord(Name.fromString("h" + i, ORIGIN), DClass.IN, 3600, InetAddress.getByName("192.0.2.1")));
      records.add(rrsig("h" + i, i == 377 ? earliest : Instant.parse("2026-12-20T00:00:00Z").plusSeconds(i)));
    }
    assertEquals(Optional.of(earliest), SignatureExpiry.earliest(CompactRecords.of(records)));
  }

  @Test
  void expirationsPastTwoToTheThirtyFirstAreReadUnsigned() throws Exception {
    Instant late = Instant.ofEpochSecond(0xF0000000L);
    List<Record> records = new ArrayList<>(List.of(rrsig("a", late)));
    assertEquals(Optional.of(late), SignatureExpiry.earliest(CompactRecords.of(records)));
  }

  @Test
  void anUnsignedVersionHasNone() throws Exception {
    List<Record> records =
        List.of(new ARecord(Name.fromString("a", ORIGIN), DClass.IN, 3600, InetAddress.getByName("192.0.2.1")));
    assertEquals(Optional.empty(), SignatureExpiry.earliest(CompactRecords.of(records)));
  }
}
