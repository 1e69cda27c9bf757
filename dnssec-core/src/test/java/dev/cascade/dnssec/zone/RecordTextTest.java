package dev.cascade.dnssec.zone;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

class RecordTextTest {
  static final Name ORIGIN = Name.fromConstantString("example.");

  static Record rr(String owner, long ttl, String type, String rdata) throws IOException {
    return Record.fromString(Name.fromString(owner, ORIGIN), Type.value(type), DClass.IN, ttl, rdata, ORIGIN);
  }

  /** One record of many types, with the awkward cases of presentation format. */
  static List<Record> samples() throws IOException {
    List<Record> records = new ArrayList<>();
    records.add(rr("@", 3600, "SOA", "ns1 hostmaster 2024010101 7200 3600 1209600 300"));
    records.add(rr("@", 3600, "NS", "ns1"));
    records.add(rr("MiXeD.Case", 0, "A", "192.0.2.1"));
    records.add(rr("v6", 2147483647, "AAAA", "2001:db8::1"));
    records.add(rr("odd\\.dot\\032space\\\\back", 60, "CNAME", "target\\@at"));
    records.add(rr("mx", 60, "MX", "10 mail"));
    records.add(rr("txt", 60, "TXT", "\"semi;colon\" \"quote\\\"d\" \"tab\\009\" \"\" \"caf\\195\\169\""));
    records.add(rr("_sip._tcp", 60, "SRV", "10 20 5060 sip"));
    records.add(rr("@", 60, "CAA", "0 issue \"ca.example.net; account=123\""));
    records.add(rr("naptr", 60, "NAPTR", "100 10 \"S\" \"SIP+D2U\" \"!^.*$!sip:info@example.com!\" ."));
    records.add(rr("ssh", 60, "SSHFP", "4 2 0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF"));
    records.add(rr("_443._tcp", 60, "TLSA", "3 1 1 0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF"));
    records.add(rr("loc", 60, "LOC", "52 22 23.000 N 4 53 32.000 E -2.00m 0.00m 10000m 10m"));
    records.add(rr("hinfo", 60, "HINFO", "\"PC Intel\" \"Linux\""));
    records.add(rr("svc", 60, "HTTPS", "1 . alpn=h2,h3 ipv4hint=192.0.2.1 port=8443"));
    records.add(rr("svcb", 60, "SVCB", "0 target.example.net."));
    records.add(rr("uri", 60, "URI", "10 1 \"https://example.net/\""));
    records.add(rr("secure", 60, "DS", "12345 13 2 0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF"));
    records.add(rr("@", 60, "DNSKEY",
        "257 3 13 oJMRESz5E4gYzS/q6XDrvU1qMPYIjCWzJaOau8XNEZeqCYKD5ar0IRd8KqXXFJkqmVfRvMGPmM1x8fGAa2XhSA=="));
    records.add(rr("@", 60, "RRSIG", "SOA 13 1 3600 20300101000000 20200101000000 12345 example. ZmFrZQ=="));
    records.add(rr("@", 60, "NSEC", "a.example. NS SOA RRSIG NSEC DNSKEY TYPE65534"));
    records.add(rr("0p9mhaveqvm6t7vbl5lop2u3t2rp3tom", 60, "NSEC3", "1 1 0 - 2T7B4G4VSA5SMI47K61MV5BV1A22BOJR NS SOA"));
    records.add(rr("@", 0, "NSEC3PARAM", "1 0 10 ABCD"));
    records.add(rr("unknown", 60, "TYPE65534", "\\# 3 ABCDEF"));
    records.add(rr("empty", 60, "TYPE65280", "\\# 0"));
    records.add(rr("generic-a", 60, "A", "\\# 4 C0000201"));
    return records;
  }

  @Test
  void roundTripIsExactForEveryType() throws IOException {
    List<Record> records = samples();
    List<Record> back = RecordText.parseGzipLines(RecordText.gzipLines(records));
    assertEquals(records.size(), back.size());
    for (int i = 0; i < records.size(); i++) {
      Record a = records.get(i);
      Record b = back.get(i);
      assertEquals(a.toString(), b.toString());
      assertEquals(a.getTTL(), b.getTTL());
      assertArrayEquals(a.toWire(Section.ANSWER), b.toWire(Section.ANSWER), a.toString());
    }
    assertEquals(ZoneDigest.sha384(records), ZoneDigest.sha384(back));
  }

  @Test
  void emptyInputAndGarbage() {
    assertEquals(List.of(), RecordText.parseGzipLines(RecordText.gzipLines(List.of())));
    assertThrows(IllegalArgumentException.class, () -> RecordText.parseGzipLines(new byte[] {1, 2, 3}));
  }

  @Test
  void digestDependsOnContentAndOrder() throws IOException {
    List<Record> records = samples();
    List<Record> reversed = new ArrayList<>(records);
    java.util.Collections.reverse(reversed);
    assertEquals(ZoneDigest.sha384(records), ZoneDigest.sha384(new ArrayList<>(records)));
    assertEquals(false, ZoneDigest.sha384(records).equals(ZoneDigest.sha384(reversed)));
  }
}
