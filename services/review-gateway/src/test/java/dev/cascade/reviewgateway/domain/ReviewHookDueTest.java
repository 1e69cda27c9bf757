package dev.cascade.reviewgateway.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import org.junit.jupiter.api.Test;

class ReviewHookDueTest {

  /** The reference's five variables (cascade-reference.md §2), IPv4 and IPv6 review servers alike. */
  @Test
  void theHookGetsTheZoneWithoutItsDotTheSerialAndTheReviewServer() {
    ReviewHookDue due = new ReviewHookDue("example.com.", GateStage.SIGNED, "v1", 2026120701L, "s-v1", "check");
    assertEquals(Map.of("CASCADE_ZONE", "example.com", "CASCADE_SERIAL", "2026120701",
        "CASCADE_SERVER", "127.0.0.1:4541", "CASCADE_SERVER_IP", "127.0.0.1", "CASCADE_SERVER_PORT", "4541"),
        due.environment("127.0.0.1:4541"));
    assertEquals(Map.of("CASCADE_ZONE", "example.com", "CASCADE_SERIAL", "2026120701",
        "CASCADE_SERVER", "[::1]:4540", "CASCADE_SERVER_IP", "::1", "CASCADE_SERVER_PORT", "4540"),
        due.environment("[::1]:4540"));
  }
}
