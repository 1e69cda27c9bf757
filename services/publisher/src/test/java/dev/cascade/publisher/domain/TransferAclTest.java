package dev.cascade.publisher.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Name;

class TransferAclTest {

  @Test
  void defaultAllowsOnlyLoopback() throws Exception {
    TransferAcl acl = TransferAcl.of(List.of("127.0.0.1", "::1"));

    assertTrue(acl.lists(InetAddress.getByName("127.0.0.1")));
    assertTrue(acl.lists(InetAddress.getByName("::1")));
    assertFalse(acl.lists(InetAddress.getByName("127.0.0.2")));
    assertFalse(acl.lists(InetAddress.getByName("192.0.2.1")));
  }

  @Test
  void prefixesMatchOnTheirLeadingBits() throws Exception {
    TransferAcl acl = TransferAcl.of(List.of("192.0.2.0/25", "2001:db8::/32"));

    assertTrue(acl.lists(InetAddress.getByName("192.0.2.127")));
    assertFalse(acl.lists(InetAddress.getByName("192.0.2.128")));
    assertTrue(acl.lists(InetAddress.getByName("2001:db8:1::53")));
    assertFalse(acl.lists(InetAddress.getByName("2001:db9::53")));
  }

  @Test
  void emptyListDeniesEveryone() throws Exception {
    assertFalse(TransferAcl.of(List.of()).lists(InetAddress.getByName("127.0.0.1")));
  }

  @Test
  void refusesHostNamesAndBadPrefixes() {
    assertThrows(IllegalArgumentException.class, () -> TransferAcl.of(List.of("localhost")));
    assertThrows(IllegalArgumentException.class, () -> TransferAcl.of(List.of("192.0.2.0/33")));
  }

  @Test
  void anEntryWithAKeyWantsExactlyThatKey() throws Exception {
    TransferAcl acl = TransferAcl.of(List.of("192.0.2.7^xfr-key", "198.51.100.0/24", "2001:db8::/32^Other.Key."));
    InetAddress keyed = InetAddress.getByName("192.0.2.7");
    Optional<Name> xfrKey = Optional.of(Name.fromConstantString("xfr-key."));

    assertTrue(acl.allows(keyed, xfrKey));
    assertEquals(Optional.of("unsigned, but provide-xfr-to wants TSIG key xfr-key"),
        acl.refusal(keyed, Optional.empty()));
    assertEquals(Optional.of("signed with TSIG key other.key, but provide-xfr-to wants xfr-key"),
        acl.refusal(keyed, Optional.of(Name.fromConstantString("other.key."))));
    assertTrue(acl.allows(InetAddress.getByName("2001:db8::53"), Optional.of(Name.fromConstantString("other.key."))));
    // An entry without a key lets its clients in signed (with a key that verified) or not.
    assertTrue(acl.allows(InetAddress.getByName("198.51.100.9"), Optional.empty()));
    assertTrue(acl.allows(InetAddress.getByName("198.51.100.9"), xfrKey));
    assertEquals(Optional.of("not listed in provide-xfr-to"), acl.refusal(InetAddress.getByName("192.0.2.8"), xfrKey));
  }

  @Test
  void refusesABadKeyName() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> TransferAcl.of(List.of("192.0.2.7^")));
    assertTrue(e.getMessage().startsWith("provide-xfr-to entry 192.0.2.7^: "), e.getMessage());
  }
}
