package dev.cascade.signer.domain;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cascade.dnssec.keys.KeyUse;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which key sets ask for a new signed version. */
class WrappedKeySetTest {
  private static WrappedKey key(int tag, byte[] wrapped, KeyUse use) {
    return new WrappedKey(tag, 13, 256, "ZSK", "AAAA", wrapped, use);
  }

  @Test
  void onlyWhatSigningUsesCounts() {
    KeyUse signing = new KeyUse(true, false, true);
    WrappedKeySet set = new WrappedKeySet("example.", "e1", 3600, List.of(key(1, new byte[] {1}, signing)));
    assertTrue(set.signsAs(new WrappedKeySet("example.", "e2", 3600, List.of(key(1, new byte[] {2}, signing)))),
        "another event, the key wrapped again: the same signing");
    assertFalse(set.signsAs(new WrappedKeySet("example.", "e2", 3600,
        List.of(key(1, new byte[] {1}, new KeyUse(true, false, false))))), "another use");
    assertFalse(set.signsAs(new WrappedKeySet("example.", "e2", 600, List.of(key(1, new byte[] {1}, signing)))),
        "another DNSKEY TTL");
    assertFalse(set.signsAs(new WrappedKeySet("example.", "e2", 3600, List.of(key(1, new byte[] {1}, signing)),
        List.of("example. 3600 IN CDS 1 13 2 AA"))), "CDS to publish");
  }
}
