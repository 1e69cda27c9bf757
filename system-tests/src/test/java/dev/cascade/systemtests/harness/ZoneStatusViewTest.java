package dev.cascade.systemtests.harness;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/**
 * The end-to-end tests wait on what {@link ZoneStatusView} reads from {@code zone status}; a misreading would make
 * them wait for the wrong thing, so the reader is checked against the reference layout (cascade-reference.md §1.4).
 */
class ZoneStatusViewTest {

  private static final String WAITING_FOR_SIGNED_REVIEW =
      """
      zone:   example.org.
      policy: review
      source: /zones/example.org.zone

      review
        loaded: manual
        signed: manual

      last published
        loaded serial: 2026112801
        signed serial: 1795830000
        timestamp:     2026-11-28T02:00:00Z
        size:          21 records

      status: waiting for signed review
        \u2714 load (serial: 2026112802)
        \u2714 review loaded zone
        \u2714 persist loaded zone
        \u2714 sign (serial: 1795831111)
        \u25A0 review signed zone
        |   zone must be reviewed manually
        |   signed zone is available at:
        |     - 127.0.0.1:4541
        |   possible actions:
        |     cascade zone approve --signed example.org. 1795831111
        |     cascade zone reject --signed example.org. 1795831111
        |
        \u25CB persist signed zone
        \u25CB publish

      Published zone available at:
        - 127.0.0.1:4542
      """;

  @Test
  void readsThePublishedVersionAndTheVersionUnderReview() {
    ZoneStatusView status = new ZoneStatusView(WAITING_FOR_SIGNED_REVIEW);
    assertEquals(OptionalLong.of(1795830000L), status.publishedSignedSerial());
    assertEquals(OptionalLong.of(2026112801L), status.publishedLoadedSerial());
    assertEquals("waiting for signed review", status.progress());
    assertEquals(OptionalLong.of(1795831111L), status.signedSerialUnderReview());
    assertEquals(OptionalLong.empty(), status.unsignedSerialUnderReview());
  }

  @Test
  void aSigningStepsSignedSerialIsNotMistakenForAPublishedOne() {
    ZoneStatusView status =
        new ZoneStatusView(
            """
            zone:   example.org.

            last published
              <no versions published yet>

            status: signing
              \u2714 load (serial: 2026112801)
              \u25CF sign
              |   loaded serial: 2026112801
              |   signed serial: 1795831111
            """);
    assertEquals(OptionalLong.empty(), status.publishedSignedSerial());
    assertEquals(OptionalLong.empty(), status.publishedLoadedSerial());
    assertEquals("signing", status.progress());
  }
}
