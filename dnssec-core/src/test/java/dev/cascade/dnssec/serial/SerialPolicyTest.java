package dev.cascade.dnssec.serial;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class SerialPolicyTest {
  /** 2026-03-15T23:30:00Z; in Asia/Tokyo it is already the 16th, which DATE_COUNTER must ignore (UTC). */
  static final Clock CLOCK = Clock.fixed(Instant.parse("2026-03-15T23:30:00Z"), ZoneId.of("Asia/Tokyo"));
  static final long NOW = Instant.parse("2026-03-15T23:30:00Z").getEpochSecond();

  static OptionalLong prev(long s) {
    return OptionalLong.of(s);
  }

  @Test
  void keepRequiresAnIncrease() throws Exception {
    assertEquals(100, SerialPolicy.KEEP.next(100, OptionalLong.empty(), CLOCK));
    assertEquals(101, SerialPolicy.KEEP.next(101, prev(100), CLOCK));
    assertEquals(5, SerialPolicy.KEEP.next(5, prev(4294967290L), CLOCK), "RFC 1982: 5 is after 4294967290");
    SerialPolicyException e = assertThrows(SerialPolicyException.class, () -> SerialPolicy.KEEP.next(100, prev(100), CLOCK));
    assertEquals("serial policy keep: upstream serial 100 is not greater than the previous signed serial 100 (RFC 1982)",
        e.getMessage());
    assertThrows(SerialPolicyException.class, () -> SerialPolicy.KEEP.next(99, prev(100), CLOCK));
  }

  @Test
  void counter() throws Exception {
    assertEquals(7, SerialPolicy.COUNTER.next(7, OptionalLong.empty(), CLOCK));
    assertEquals(101, SerialPolicy.COUNTER.next(7, prev(100), CLOCK));
    assertEquals(0, SerialPolicy.COUNTER.next(7, prev(4294967295L), CLOCK), "wraps (RFC 1982 §3.1)");
  }

  @Test
  void unixTime() throws Exception {
    assertEquals(NOW, SerialPolicy.UNIX_TIME.next(1, OptionalLong.empty(), CLOCK));
    assertEquals(NOW, SerialPolicy.UNIX_TIME.next(1, prev(NOW - 10), CLOCK));
    assertEquals(NOW + 1, SerialPolicy.UNIX_TIME.next(1, prev(NOW), CLOCK));
    assertEquals(NOW + 51, SerialPolicy.UNIX_TIME.next(1, prev(NOW + 50), CLOCK));
  }

  @Test
  void dateCounterInUtc() throws Exception {
    assertEquals(2026031500L, SerialPolicy.DATE_COUNTER.next(1, OptionalLong.empty(), CLOCK));
    assertEquals(2026031500L, SerialPolicy.DATE_COUNTER.next(1, prev(2026031499L), CLOCK));
    assertEquals(2026031501L, SerialPolicy.DATE_COUNTER.next(1, prev(2026031500L), CLOCK));
    assertEquals(2026031600L, SerialPolicy.DATE_COUNTER.next(1, prev(2026031599L), CLOCK), "spills past 99");
  }

  @Test
  void rfc1982Comparison() {
    assertTrue(SerialPolicy.greater(1, 0));
    assertTrue(SerialPolicy.greater(0, 4294967295L));
    assertFalse(SerialPolicy.greater(0, 0));
    assertFalse(SerialPolicy.greater(2147483648L, 0), "distance 2^31 is undefined: not greater");
    assertTrue(SerialPolicy.greater(2147483647L, 0));
  }

  @Test
  void namesFromTheReferencePolicyFile() {
    assertEquals(SerialPolicy.DATE_COUNTER, SerialPolicy.fromName("date-counter"));
    assertEquals(SerialPolicy.UNIX_TIME, SerialPolicy.fromName("unix-time"));
    assertEquals(SerialPolicy.KEEP, SerialPolicy.fromName("keep"));
    assertEquals(SerialPolicy.COUNTER, SerialPolicy.fromName("COUNTER"));
    assertThrows(IllegalArgumentException.class, () -> SerialPolicy.fromName("increment"));
  }
}
