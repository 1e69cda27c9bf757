package dev.cascade.reviewgateway.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Name;

class TsigKeyUsersTest {

  private static final Name KEY = Name.fromConstantString("xfr-key.");

  @Test
  void zoneSourcesServerSettingsAndPoliciesNamingTheKeyAreItsUsers() {
    Map<String, String> sources = new TreeMap<>(Map.of(
        "a.test.", "192.0.2.1:5353^XFR-key",
        "b.test.", "/zones/b.test.zone",
        "c.test.", "192.0.2.2^other-key"));
    Map<String, List<String>> settings = new TreeMap<>(Map.of(
        "provide-xfr-to", List.of("127.0.0.1", "192.0.2.0/24^xfr-key."),
        "send-notify-to", List.of("192.0.2.9^other-key")));

    Map<String, List<String>> policies = new TreeMap<>(Map.of(
        "checked", List.of("192.0.2.53:53^xfr-key", "192.0.2.54"),
        "default", List.of()));

    assertEquals(List.of("zone a.test.", "server setting provide-xfr-to", "policy checked"),
        TsigKeyUsers.of(KEY, sources, settings, policies));
    assertEquals(List.of(), TsigKeyUsers.of(Name.fromConstantString("unused."), sources, settings, policies));
  }

  @Test
  void theKeyOfAnEntry() {
    assertEquals(Optional.of(KEY), TsigKeyUsers.keyOf("192.0.2.1^xfr-key"));
    assertEquals(Optional.empty(), TsigKeyUsers.keyOf("/zones/x.zone"));
    assertThrows(IllegalArgumentException.class, () -> TsigKeyUsers.keyOf("192.0.2.1^"));
  }
}
