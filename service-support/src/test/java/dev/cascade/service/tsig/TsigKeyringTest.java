package dev.cascade.service.tsig;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cascade.dnssec.keys.KeyWrap;
import dev.cascade.dnssec.tsig.TsigKey;
import dev.cascade.events.v1.EventMetadata;
import dev.cascade.events.v1.TsigKeyAdded;
import dev.cascade.events.v1.TsigKeyFact;
import dev.cascade.events.v1.TsigKeyRemoved;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Name;

class TsigKeyringTest {

  private static final String SECRET = "q0b8CDbTQxGkvMvuFJbz3yjB3XcBx0OTqaDl8e0lCuk=";
  private static final KeyWrap KEK = new KeyWrap(new byte[32]);
  private static final Name XFR = Name.fromConstantString("xfr-key.");

  private static TsigKeyFact fact(String name, Object fact) {
    return TsigKeyFact.newBuilder()
        .setMetadata(EventMetadata.newBuilder().setEventId("e-" + name).setOccurredAt(Instant.EPOCH)
            .setProducer("review-gateway").build())
        .setKeyName(name).setFact(fact).build();
  }

  private static TsigKeyFact added(TsigKey key, KeyWrap wrap) {
    return fact(key.displayName(), new TsigKeyAdded(key.algorithm().mnemonic(), ByteBuffer.wrap(key.wrap(wrap)),
        wrap.currentId()));
  }

  @Test
  void theLatestFactOfEachKeyCounts() {
    TsigKeyring keyring = new TsigKeyring(KEK);
    TsigKey key = TsigKey.parse("hmac-sha512:xfr-key:" + SECRET);
    keyring.apply(added(key, KEK));

    TsigKey found = keyring.find(XFR).orElseThrow();
    assertArrayEquals(key.secret(), found.secret());
    assertEquals(List.of(new TsigKeyring.Info("xfr-key", "hmac-sha512")), keyring.list());

    keyring.apply(fact("xfr-key", new TsigKeyRemoved("removed by the operator")));
    assertEquals(Optional.empty(), keyring.find(XFR));
    assertEquals(List.of(), keyring.list());
  }

  @Test
  void withoutTheKekOnlyNamesAreKnownAndAForeignWrapLeavesTheKeyUnusable() {
    TsigKey key = TsigKey.parse("xfr-key:" + SECRET);
    TsigKeyring names = new TsigKeyring(null);
    names.apply(added(key, KEK));
    assertTrue(names.contains(XFR));
    assertEquals(Optional.empty(), names.find(XFR));

    TsigKeyring other = new TsigKeyring(new KeyWrap(new byte[] {
        1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30,
        31, 32}));
    other.apply(added(key, KEK));
    assertEquals(Optional.empty(), other.find(XFR));
    assertEquals(List.of(), other.list());
  }
}
