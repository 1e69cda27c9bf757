package dev.cascade.dnssec.tsig;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

class TsigRequestTest {

  private static final Clock NOW = Clock.fixed(Instant.parse("2026-12-01T12:00:00Z"), ZoneOffset.UTC);
  private static final TsigKey KEY = TsigKey.parse("xfr:" + TsigKeyTest.SECRET);
  private static final TsigKeys KEYS = name -> name.equals(KEY.name()) ? Optional.of(KEY) : Optional.empty();

  private static byte[] query(TsigKey signer, Clock clock) {
    Message query = Message.newQuery(Record.newRecord(Name.fromConstantString("example."), Type.AXFR, DClass.IN));
    if (signer != null) {
      query.setTSIG(signer.tsig(clock));
    }
    return query.toWire(65535);
  }

  private static TsigRequest check(byte[] wire) throws IOException {
    return TsigRequest.check(new Message(wire), wire, KEYS, NOW);
  }

  /**
   * A signed request cut short inside its TSIG RR, with TC set: dnsjava keeps the header's count of additional
   * records but none of them, and asking it for the TSIG failed (found by the publisher's DnsServerFuzzTest).
   */
  @Test
  void aRequestCutShortInsideItsTsigIsUnsignedNotAnError() throws IOException {
    byte[] signed = query(KEY, NOW);
    byte[] cut = Arrays.copyOf(signed, signed.length - 10);
    cut[2] |= 0x02; // TC (RFC 1035 §4.1.1), which makes dnsjava accept the cut
    Message parsed = new Message(cut);
    assertEquals(1, parsed.getHeader().getCount(Section.ADDITIONAL), "the header still counts the TSIG RR");

    assertEquals(TsigRequest.Status.UNSIGNED, TsigRequest.check(parsed, cut, KEYS, NOW).status());
  }

  @Test
  void aRequestSignedWithAKnownKeyVerifies() throws IOException {
    TsigRequest result = check(query(KEY, NOW));
    assertEquals(TsigRequest.Status.VERIFIED, result.status());
    assertEquals(Optional.of(KEY), result.key());
    assertEquals(TsigRequest.Status.UNSIGNED, check(query(null, NOW)).status());
  }

  @Test
  void eachFailureGetsItsRfc8945Error() throws IOException {
    TsigRequest unknown = check(query(TsigKey.parse("stranger:" + TsigKeyTest.SECRET), NOW));
    assertEquals(Rcode.BADKEY, unknown.error());
    assertEquals("unknown TSIG key stranger (BADKEY)", unknown.reason());

    TsigRequest algorithm = check(query(TsigKey.parse("hmac-sha512:xfr:" + TsigKeyTest.SECRET), NOW));
    assertEquals(Rcode.BADKEY, algorithm.error());

    TsigRequest wrongSecret = check(query(TsigKey.parse("xfr:AAAAAAAAAAAAAAAAAAAAAA=="), NOW));
    assertEquals(TsigRequest.Status.FAILED, wrongSecret.status());
    assertEquals(Rcode.BADSIG, wrongSecret.error());

    Clock late = Clock.offset(NOW, Duration.ofMinutes(-6));
    TsigRequest old = check(query(KEY, late));
    assertEquals(Rcode.BADTIME, old.error());
    assertTrue(old.reason().contains("300 s"), old.reason());
  }

  @Test
  void theAnswerToABadKeyCarriesTheErrorAndNoMac() throws IOException {
    byte[] wire = query(TsigKey.parse("stranger:" + TsigKeyTest.SECRET), NOW);
    Message request = new Message(wire);
    TsigRequest result = TsigRequest.check(request, wire, KEYS, NOW);
    Message response = new Message(request.getHeader().getID());
    var tsig = result.failure(response, response.toWire(), NOW);
    assertEquals(Rcode.BADKEY, tsig.getError());
    assertEquals(0, tsig.getSignature().length);
    assertEquals(Name.fromConstantString("stranger."), tsig.getName());
  }
}
