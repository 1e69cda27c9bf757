package dev.cascade.dnssec.zone;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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

  /** NS RDATA is made from the target name directly: it must be dnsjava's canonical RDATA, byte for byte. */
  @Test
  void nsRdataIsTheLowerCasedTargetInWireForm() throws IOException {
    Name origin = Name.fromConstantString("example.");
    for (String target : List.of("NS1.Example.", "ns.example.", "\\046dot\\.in\\.LABEL.example.", "\\195\\132\\000.X.", ".")) {
      Record ns = Record.fromString(origin, Type.NS, DClass.IN, 60, target, origin);
      assertArrayEquals(ns.rdataToWireCanonical(), CanonicalOrder.rdata(ns), target);
    }
  }

  @Test
  void rdataNamesAreLowerCasedOnlyForTheTypesOfRfc4034Section62() throws IOException {
    Name origin = Name.fromConstantString("example.");
    Record mx = Record.fromString(origin, Type.MX, DClass.IN, 60, "10 Mail.Example.", origin);
    Record nsec = Record.fromString(origin, Type.NSEC, DClass.IN, 60, "Mail.Example. A", origin);
    Record svcb = Record.fromString(origin, Type.SVCB, DClass.IN, 60, "1 Mail.Example. alpn=h2", origin);
    Record https = Record.fromString(origin, Type.HTTPS, DClass.IN, 60, "0 Mail.Example.", origin);
    Record ipseckey = Record.fromString(origin, Type.IPSECKEY, DClass.IN, 60,
        "10 3 2 Mail.Example. AQNRU3mG7TVTO2BkR47usntb102uFJtugbo6BSGvgqt4AQ==", origin);
    assertTrue(contains(CanonicalOrder.rdata(mx), "mail"), "MX is in the RFC 4034 §6.2 list");
    // RFC 6840 §5.1 took NSEC out of the list; RFC 3597 §7 closed it: SVCB, HTTPS and IPSECKEY keep their case.
    for (Record r : List.of(nsec, svcb, https, ipseckey)) {
      assertTrue(contains(CanonicalOrder.rdata(r), "Mail"), r.toString());
    }
    Record upper = Record.fromString(origin, Type.SVCB, DClass.IN, 60, "1 Mail.example.", origin);
    Record lower = Record.fromString(origin, Type.SVCB, DClass.IN, 60, "1 also.example.", origin);
    List<Record> rrset = new ArrayList<>(List.of(lower, upper));
    rrset.sort(CanonicalOrder.RECORDS);
    assertEquals(List.of(upper, lower), rrset, "RFC 4034 §6.3: 'M' (0x4d) sorts before 'a' (0x61)");
  }

  private static boolean contains(byte[] wire, String text) {
    return new String(wire, java.nio.charset.StandardCharsets.ISO_8859_1).contains(text);
  }

  @Test
  void nameKeysOrderExactlyAsNamesDo() {
    List<Name> names = new ArrayList<>(List.of("example.", "a.example.", "yljkjljk.a.example.", "Z.a.example.",
        "zABC.a.EXAMPLE.", "z.example.", "\\000.z.example.", "\\001.z.example.", "\\001\\000.z.example.",
        "\\002.z.example.", "a\\000.z.example.", "a.z.example.", "ab.z.example.", "*.z.example.", "\\200.z.example.",
        "a.example.net.", ".").stream().map(Name::fromConstantString).toList());
    java.util.Random random = new java.util.Random(4034);
    for (int i = 0; i < 2000; i++) {
      StringBuilder s = new StringBuilder();
      for (int l = random.nextInt(3) + 1; l > 0; l--) {
        for (int c = random.nextInt(3) + 1; c > 0; c--) {
          s.append(String.format("\\%03d", List.of(0, 1, 2, 45, 65, 97, 122, 255).get(random.nextInt(8))));
        }
        s.append('.');
      }
      names.add(Name.fromConstantString(s + "example."));
    }
    for (Name a : names) {
      for (Name b : names.subList(0, 40)) {
        assertEquals(Integer.signum(a.compareTo(b)),
            Integer.signum(java.util.Arrays.compareUnsigned(CanonicalOrder.nameKey(a), CanonicalOrder.nameKey(b))),
            a + " vs " + b);
      }
    }
    List<Name> byKey = new ArrayList<>(names);
    byKey.sort((a, b) -> java.util.Arrays.compareUnsigned(CanonicalOrder.nameKey(a), CanonicalOrder.nameKey(b)));
    List<Name> byName = new ArrayList<>(names);
    byName.sort(CanonicalOrder.NAMES);
    assertEquals(byName, byKey);
  }
}
