package dev.cascade.service.messaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class RetryPolicyTest {

  @Test
  void backoffDoublesUpToTheMaximum() {
    RetryPolicy policy = new RetryPolicy(6, Duration.ofSeconds(1), Duration.ofSeconds(16));
    assertEquals(Duration.ofSeconds(1), policy.backoffAfter(1));
    assertEquals(Duration.ofSeconds(2), policy.backoffAfter(2));
    assertEquals(Duration.ofSeconds(8), policy.backoffAfter(4));
    assertEquals(Duration.ofSeconds(16), policy.backoffAfter(5));
    assertEquals(Duration.ofSeconds(16), policy.backoffAfter(40), "capped, and no overflow after many attempts");
  }

  @Test
  void aMaximumBelowTheStartIsRefused() {
    assertThrows(IllegalArgumentException.class,
        () -> new RetryPolicy(3, Duration.ofSeconds(2), Duration.ofSeconds(1)));
    assertThrows(IllegalArgumentException.class, () -> new RetryPolicy(0, Duration.ZERO, Duration.ZERO));
  }
}
