package dev.cascade.publisher.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class NotifyTargetTest {

  @Test
  void readsTheReferenceSyntaxWithPort53ByDefault() {
    assertEquals("192.0.2.1:53", NotifyTarget.parse("192.0.2.1").toString());
    assertEquals("192.0.2.1:5353", NotifyTarget.parse(" 192.0.2.1:5353 ").toString());
    assertEquals("[2001:db8:0:0:0:0:0:53]:53", NotifyTarget.parse("2001:db8::53").toString());
    assertEquals("[2001:db8:0:0:0:0:0:53]:5353", NotifyTarget.parse("[2001:db8::53]:5353").toString());
  }

  @Test
  void refusesWhatIsNotAnIpAndPortNamingTheEntry() {
    for (String bad : new String[] {"ns1.example.", "192.0.2.1:0", "192.0.2.1:65536", "192.0.2.1:x", "[2001:db8::53",
        "[2001:db8::53]5353", ""}) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> NotifyTarget.parse(bad), bad);
      assertTrue(e.getMessage().startsWith("send-notify-to entry \"" + bad.trim() + "\""), e.getMessage());
    }
    IllegalArgumentException tsig =
        assertThrows(IllegalArgumentException.class, () -> NotifyTarget.parse("192.0.2.1^sec1-key"));
    assertTrue(tsig.getMessage().contains("TSIG"), tsig.getMessage());
  }
}
