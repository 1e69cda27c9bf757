package dev.cascade.loader.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.cascade.dnssec.tsig.TsigKey;
import dev.cascade.dnssec.tsig.TsigKeys;
import dev.cascade.dnssec.xfr.PrimarySource;
import java.util.Base64;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

/** The key a zone's source names, from the loader's keyring. */
class PrimaryTsigTest {
  private static final TsigKey KEY =
      TsigKey.parse("hmac-sha256:transfer-key:" + Base64.getEncoder().encodeToString(new byte[32]));
  private static final TsigKeys KEYRING = name -> name.equals(KEY.name()) ? Optional.of(KEY) : Optional.empty();

  @Test
  void aSourceWithoutAKeyIsUnsignedAndOneWithAKnownKeyIsSignedWithIt() throws Exception {
    assertNull(PrimaryTsig.of(PrimarySource.parse("192.0.2.1"), KEYRING));
    Message query = Message.newQuery(Record.newRecord(Name.fromConstantString("example."), Type.SOA, DClass.IN));
    query.setTSIG(PrimaryTsig.of(PrimarySource.parse("192.0.2.1:5353^transfer-key"), KEYRING));
    assertEquals(KEY.name(), new Message(query.toWire(65535)).getTSIG().getName(), "signed with the source's key");
  }

  @Test
  void anUnknownKeyIsAClearError() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> PrimaryTsig.of(PrimarySource.parse("192.0.2.1^other"), KEYRING));
    assertEquals("TSIG key other is not known", e.getMessage());
  }
}
