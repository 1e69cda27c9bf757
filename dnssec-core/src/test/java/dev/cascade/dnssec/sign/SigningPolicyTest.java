package dev.cascade.dnssec.sign;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SigningPolicyTest {
  static SigningPolicy policy(Duration lifetime, Duration remain, Duration refresh) {
    return new SigningPolicy(SigningPolicy.Denial.NSEC, false, 0, null, Duration.ofDays(1), lifetime, remain, refresh);
  }

  @Test
  void referenceDefaultsAreAccepted() {
    SigningPolicy defaults = policy(Duration.ofDays(14), Duration.ofDays(7), Duration.ofHours(12));
    assertEquals(Duration.ofDays(7), defaults.remainTime());
    assertEquals(Duration.ofHours(12), defaults.refreshInterval());
  }

  @Test
  void lifetimeMustExceedRemainTimePlusAnHourPlusRefreshIntervalAsInTheReference() {
    Duration remain = Duration.ofDays(7);
    Duration refresh = Duration.ofHours(12);
    Duration limit = remain.plusHours(1).plus(refresh);
    assertThrows(IllegalArgumentException.class, () -> policy(limit, remain, refresh));
    assertEquals(limit.plusSeconds(1), policy(limit.plusSeconds(1), remain, refresh).lifetime());
  }

  @Test
  void refreshIntervalIsAtLeastAMinuteAndLifetimeBelowTwoToTheThirty() {
    assertThrows(IllegalArgumentException.class,
        () -> policy(Duration.ofDays(14), Duration.ofDays(7), Duration.ofSeconds(59)));
    assertEquals(Duration.ofSeconds(60),
        policy(Duration.ofDays(14), Duration.ofDays(7), Duration.ofSeconds(60)).refreshInterval());
    assertThrows(IllegalArgumentException.class,
        () -> policy(Duration.ofSeconds(0x4000_0000L), Duration.ofDays(7), Duration.ofHours(12)));
    assertThrows(IllegalArgumentException.class,
        () -> policy(Duration.ofDays(14), Duration.ofDays(-1), Duration.ofHours(12)));
  }

  @Test
  void nsec3ParametersThatRfc9276AdvisesAgainstAreNamedAndNsecHasNone() {
    assertEquals(Optional.empty(), SigningPolicy.nsec3Advice(0, 0));
    assertEquals(Optional.of("NSEC3 with 10 additional iterations and a salt: RFC 9276 §3.1 advises 0 iterations and "
        + "no salt; validators may treat additional iterations as insecure (RFC 9276 §3.2)"),
        SigningPolicy.nsec3Advice(10, 8));
    assertEquals("NSEC3 with 1 additional iterations", SigningPolicy.nsec3Advice(1, 0).orElseThrow().split(":")[0]);
    assertEquals("NSEC3 with a salt", SigningPolicy.nsec3Advice(0, 4).orElseThrow().split(":")[0]);
    SigningPolicy nsec3 = new SigningPolicy(SigningPolicy.Denial.NSEC3, false, 5, new byte[] {1},
        Duration.ofDays(1), Duration.ofDays(14), Duration.ofDays(7), Duration.ofHours(12));
    assertEquals(SigningPolicy.nsec3Advice(5, 1), nsec3.nsec3Advice());
    SigningPolicy nsec = policy(Duration.ofDays(14), Duration.ofDays(7), Duration.ofHours(12));
    assertEquals(Optional.empty(), nsec.nsec3Advice());
  }
}
