package dev.cascade.dnssec.xfr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Name;
import org.xbill.DNS.SOARecord;

/** The SOA timers with a fixed clock, and the source forms. */
class RefreshTimersTest {

  private static final Instant T0 = Instant.parse("2026-12-07T12:00:00Z");
  private static final SOARecord SOA = new SOARecord(Name.fromConstantString("example."), DClass.IN, 300,
      Name.fromConstantString("ns1.example."), Name.fromConstantString("hostmaster.example."), 1, 3600, 600, 86400,
      300);

  @Test
  void refreshAfterSuccessRetryAfterFailureExpireAfterExpire() {
    RefreshTimers timers = RefreshTimers.initial(T0);
    assertTrue(timers.due(T0));
    assertFalse(timers.expired(T0.plus(Duration.ofDays(30))), "a zone never loaded cannot expire");
    timers = timers.succeeded(T0, SOA);
    assertEquals(T0.plusSeconds(3600), timers.nextRefresh());
    assertFalse(timers.due(T0.plusSeconds(3599)));
    assertTrue(timers.due(T0.plusSeconds(3600)));
    timers = timers.failed(T0.plusSeconds(3600), Duration.ofSeconds(60));
    assertEquals(T0.plusSeconds(4200), timers.nextRefresh());
    assertFalse(timers.expired(T0.plusSeconds(86399)));
    assertTrue(timers.expired(T0.plusSeconds(86400)));
    timers = timers.succeeded(T0.plusSeconds(90000), SOA);
    assertFalse(timers.expired(T0.plusSeconds(90001)));
  }

  @Test
  void failureBeforeAnySoaWaitsTheGivenTimeAndNotifyMakesItDue() {
    RefreshTimers timers = RefreshTimers.initial(T0).failed(T0, Duration.ofSeconds(60));
    assertEquals(T0.plusSeconds(60), timers.nextRefresh());
    assertTrue(timers.dueNow(T0.plusSeconds(5)).due(T0.plusSeconds(5)));
  }

  @Test
  void zeroTimersAreRaisedToOneSecond() {
    SOARecord zero = new SOARecord(Name.fromConstantString("example."), DClass.IN, 300,
        Name.fromConstantString("ns1.example."), Name.fromConstantString("hostmaster.example."), 1, 0, 0, 0, 0);
    assertEquals(T0.plusSeconds(1), RefreshTimers.initial(T0).succeeded(T0, zero).nextRefresh());
  }

  @Test
  void sourceForms() {
    assertEquals("192.0.2.1:53", PrimarySource.parse("192.0.2.1").toString());
    assertEquals("192.0.2.1:5353", PrimarySource.parse("192.0.2.1:5353").toString());
    assertEquals("[2001:db8::1]:53", PrimarySource.parse("2001:db8::1").toString());
    assertEquals("[2001:db8::1]:5353^k1", PrimarySource.parse("[2001:db8::1]:5353^k1").toString());
    assertEquals("192.0.2.1:53 with TSIG key 'k1'", PrimarySource.parse("192.0.2.1^k1").describe());
    assertTrue(PrimarySource.isPrimary("192.0.2.1"));
    assertFalse(PrimarySource.isPrimary("/var/zones/example.zone"));
    assertThrows(IllegalArgumentException.class, () -> PrimarySource.parse("192.0.2.1^"));
    assertThrows(IllegalArgumentException.class, () -> PrimarySource.parse("ns1.example:53"));
    assertThrows(IllegalArgumentException.class, () -> PrimarySource.parse("192.0.2.1:70000"));
    assertTrue(PrimarySource.of("zones/example.zone").isEmpty());
  }
}
