package dev.cascade.publisher.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Name;

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
        assertThrows(IllegalArgumentException.class, () -> NotifyTarget.parse("192.0.2.1^bad..key"));
    assertTrue(tsig.getMessage().startsWith("send-notify-to entry TSIG key name 'bad..key'"), tsig.getMessage());
  }

  @Test
  void anEntryMayNameATsigKey() {
    NotifyTarget target = NotifyTarget.parse("[2001:db8::53]:5353^Sec1-Key");
    assertEquals(Optional.of(Name.fromConstantString("sec1-key.")), target.key());
    assertEquals("[2001:db8:0:0:0:0:0:53]:5353^sec1-key", target.toString());
    assertEquals(Optional.empty(), NotifyTarget.parse("192.0.2.1").key());
  }
}
