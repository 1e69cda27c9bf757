package dev.cascade.publisher.domain;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

class TransferAclTest {

  @Test
  void defaultAllowsOnlyLoopback() throws Exception {
    TransferAcl acl = TransferAcl.of(List.of("127.0.0.1", "::1"));

    assertTrue(acl.allows(InetAddress.getByName("127.0.0.1")));
    assertTrue(acl.allows(InetAddress.getByName("::1")));
    assertFalse(acl.allows(InetAddress.getByName("127.0.0.2")));
    assertFalse(acl.allows(InetAddress.getByName("192.0.2.1")));
  }

  @Test
  void prefixesMatchOnTheirLeadingBits() throws Exception {
    TransferAcl acl = TransferAcl.of(List.of("192.0.2.0/25", "2001:db8::/32"));

    assertTrue(acl.allows(InetAddress.getByName("192.0.2.127")));
    assertFalse(acl.allows(InetAddress.getByName("192.0.2.128")));
    assertTrue(acl.allows(InetAddress.getByName("2001:db8:1::53")));
    assertFalse(acl.allows(InetAddress.getByName("2001:db9::53")));
  }

  @Test
  void emptyListDeniesEveryone() throws Exception {
    assertFalse(TransferAcl.of(List.of()).allows(InetAddress.getByName("127.0.0.1")));
  }

  @Test
  void refusesHostNamesAndBadPrefixes() {
    assertThrows(IllegalArgumentException.class, () -> TransferAcl.of(List.of("localhost")));
    assertThrows(IllegalArgumentException.class, () -> TransferAcl.of(List.of("192.0.2.0/33")));
  }
}
