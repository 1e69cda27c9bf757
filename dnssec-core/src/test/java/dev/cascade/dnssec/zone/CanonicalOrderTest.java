package dev.cascade.dnssec.zone;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

class CanonicalOrderTest {
  @Test
  void namesFollowTheExampleOfRfc4034Section61() {
    List<Name> expected = List.of("example.", "a.example.", "yljkjljk.a.example.", "Z.a.example.", "zABC.a.EXAMPLE.",
        "z.example.", "\\001.z.example.", "*.z.example.", "\\200.z.example.").stream().map(Name::fromConstantString).toList();
    List<Name> shuffled = new ArrayList<>(expected);
    Collections.reverse(shuffled);
    shuffled.sort(CanonicalOrder.NAMES);
    assertEquals(expected, shuffled);
  }

  @Test
  void recordsSortByNameTypeThenCanonicalRdata() throws IOException {
    Name origin = Name.fromConstantString("example.");
    Record a1 = Record.fromString(origin, Type.A, DClass.IN, 60, "192.0.2.10", origin);
    Record a2 = Record.fromString(origin, Type.A, DClass.IN, 60, "192.0.2.9", origin);
    Record ns = Record.fromString(origin, Type.NS, DClass.IN, 60, "ns", origin);
    Record txtLong = Record.fromString(origin, Type.TXT, DClass.IN, 60, "\"ab\"", origin);
    Record txtShort = Record.fromString(origin, Type.TXT, DClass.IN, 60, "\"b\"", origin);
    List<Record> records = new ArrayList<>(List.of(txtShort, txtLong, ns, a1, a2));
    records.sort(CanonicalOrder.RECORDS);
    // A (1) before NS (2) before TXT (16); 192.0.2.9 before 192.0.2.10 as octets; "b" (\001b) before
    // "ab" (\002ab) because the length octet comes first in the wire form.
    assertEquals(List.of(a2, a1, ns, txtShort, txtLong), records);
  }
}
