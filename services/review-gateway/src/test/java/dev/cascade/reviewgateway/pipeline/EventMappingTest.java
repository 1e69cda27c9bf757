package dev.cascade.reviewgateway.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.cascade.events.v1.NotifySent;
import org.junit.jupiter.api.Test;

/** How the events' fields read in zone history. */
class EventMappingTest {

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
