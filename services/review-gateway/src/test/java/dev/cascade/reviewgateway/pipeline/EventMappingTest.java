package dev.cascade.reviewgateway.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.cascade.events.v1.EventMetadata;
import dev.cascade.events.v1.NotifySent;
import dev.cascade.events.v1.ReviewDecision;
import dev.cascade.events.v1.ReviewStage;
import dev.cascade.events.v1.ZoneHaltFact;
import dev.cascade.events.v1.ZoneHalted;
import dev.cascade.events.v1.ZoneReset;
import dev.cascade.events.v1.ZoneResumed;
import dev.cascade.events.v1.ZoneVersionReviewed;
import dev.cascade.reviewgateway.domain.GateStage;
import dev.cascade.reviewgateway.domain.Policy;
import dev.cascade.reviewgateway.domain.PolicyException;
import dev.cascade.reviewgateway.domain.PolicyParser;
import dev.cascade.reviewgateway.domain.ZoneFact;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** How the events' fields read in zone history, and how the halt decisions map to the projection's facts. */
class EventMappingTest {

  private static final EventMetadata META = EventMetadata.newBuilder().setEventId("e1")
      .setOccurredAt(Instant.parse("2026-12-08T04:00:00Z")).setProducer("review-gateway").build();

  /** Issue 13 item 2: each halt decision, and an override, is a fact the projection replays. */
  @Test
  void haltDecisionsAndOverridesMapToTheirFacts() {
    assertEquals(new ZoneFact.Halted("maintenance", "operator"), fact(new ZoneHalted("maintenance", "operator")));
    assertEquals(new ZoneFact.Resumed("operator"), fact(new ZoneResumed("operator")));
    assertEquals(new ZoneFact.Reset("operator", "v1"), fact(new ZoneReset("operator", "v1")));
    ZoneVersionReviewed override = ZoneVersionReviewed.newBuilder().setMetadata(META).setZone("a.test.")
        .setStage(ReviewStage.SIGNED).setVersionId("v1").setSerial(8).setDecision(ReviewDecision.APPROVED)
        .setReviewer("operator").setNote("override").setOverride(true).build();
    assertEquals(new ZoneFact.Reviewed(GateStage.SIGNED, "v1", 8, true, "operator", "override", true),
        EventMapping.fromAvro(override).fact());
  }

  /** {@code on-reject} travels in the policy snapshot, so every replay halts where the first run did. */
  @Test
  void onRejectTravelsInThePolicySnapshot() throws PolicyException {
    Policy policy = PolicyParser.parse("halting", "halting.toml",
        "version = \"v1\"\n[loader.review]\nmode = \"manual\"\non-reject = \"halt\"\n");
    assertEquals(policy, EventMapping.policy(EventMapping.snapshot(policy)));
  }

  private static ZoneFact fact(Object haltFact) {
    return EventMapping.fromAvro(ZoneHaltFact.newBuilder().setMetadata(META).setZone("a.test.").setFact(haltFact)
        .build()).fact();
  }

  @Test
  void eachNotifyOutcomeReadsAsOperatorsSayIt() {
    assertEquals("192.0.2.1:53 answered NOERROR after 1 send",
        EventMapping.notifyWording(new NotifySent("192.0.2.1:53", "answered", "NOERROR", 1)));
    assertEquals("192.0.2.1:53 answered REFUSED after 3 sends",
        EventMapping.notifyWording(new NotifySent("192.0.2.1:53", "answered", "REFUSED", 3)));
    assertEquals("[2001:db8:0:0:0:0:0:53]:53^xfr unanswered after 6 sends",
        EventMapping.notifyWording(new NotifySent("[2001:db8:0:0:0:0:0:53]:53^xfr", "unanswered", null, 6)));
    assertEquals("192.0.2.1:53^xfr not sent: no TSIG key",
        EventMapping.notifyWording(new NotifySent("192.0.2.1:53^xfr", "unsent", null, 1)));
    assertEquals("192.0.2.1:53 superseded by a newer serial after 2 sends",
        EventMapping.notifyWording(new NotifySent("192.0.2.1:53", "superseded", null, 2)));
  }
}
