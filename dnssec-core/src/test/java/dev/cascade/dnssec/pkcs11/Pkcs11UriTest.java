package dev.cascade.dnssec.pkcs11;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class Pkcs11UriTest {
  @Test
  void writesTokenAndPercentEncodedIdAndReadsThemBack() {
    Pkcs11Uri uri = new Pkcs11Uri("cascade hsm", "zsk-1".getBytes(StandardCharsets.US_ASCII));
    assertEquals("pkcs11:token=cascade%20hsm;id=%7a%73%6b%2d%31;type=private", uri.toString());
    assertEquals(uri, Pkcs11Uri.parse(uri.toString()));
  }

  @Test
  void readsTheRfc7512ExamplesAttributesItDoesNotNeedIgnored() {
    // RFC 7512 §3 style: library and object attributes and a query are allowed; token and id name the key.
    Pkcs11Uri uri = Pkcs11Uri.parse("pkcs11:library-manufacturer=Snake%20Oil,%20Inc.;token=Root%20CA%20Keys;"
        + "object=my-key;id=%01%02%ff;type=private?pin-source=file:/etc/pin");
    assertEquals("Root CA Keys", uri.token());
    assertArrayEquals(new byte[] {1, 2, (byte) 0xff}, uri.id());
  }

  @Test
  void refusesWhatNamesNoKey() {
    assertThrows(IllegalArgumentException.class, () -> Pkcs11Uri.parse("db:keymanager/1234"));
    assertThrows(IllegalArgumentException.class, () -> Pkcs11Uri.parse("pkcs11:token=a"));
    assertThrows(IllegalArgumentException.class, () -> Pkcs11Uri.parse("pkcs11:id=%01"));
    assertThrows(IllegalArgumentException.class, () -> Pkcs11Uri.parse("pkcs11:token=a;id=%0"));
    assertThrows(IllegalArgumentException.class, () -> Pkcs11Uri.parse("pkcs11:token=a;id=%zz"));
    assertThrows(IllegalArgumentException.class, () -> Pkcs11Uri.parse("pkcs11:token;id=%01"));
    assertTrue(Pkcs11Uri.isPkcs11("PKCS11:token=a;id=%01"));
    assertFalse(Pkcs11Uri.isPkcs11("db:keymanager/1234"));
  }
}
