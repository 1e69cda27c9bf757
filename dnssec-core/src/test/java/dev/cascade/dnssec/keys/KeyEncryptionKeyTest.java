package dev.cascade.dnssec.keys;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

class KeyEncryptionKeyTest {

  private static final String SETTING = "cascade.key-encryption-key";

  @Test
  void thirtyTwoBytesOfBase64AreAccepted() {
    byte[] kek = new byte[32];
    for (int i = 0; i < kek.length; i++) {
      kek[i] = (byte) (i * 7);
    }

    assertArrayEquals(kek, KeyEncryptionKey.decode(Base64.getEncoder().encodeToString(kek), SETTING));
  }

  @Test
  void missingKeyNamesTheSetting() {
    IllegalArgumentException missing =
        assertThrows(IllegalArgumentException.class, () -> KeyEncryptionKey.decode(null, SETTING));
    assertTrue(missing.getMessage().startsWith(SETTING + " is not set"), missing.getMessage());

    assertThrows(IllegalArgumentException.class, () -> KeyEncryptionKey.decode("  ", SETTING));
  }

  @Test
  void wrongLengthIsRejectedWithoutEchoingTheValue() {
    String sixteen = Base64.getEncoder().encodeToString(new byte[16]);

    IllegalArgumentException wrong =
        assertThrows(IllegalArgumentException.class, () -> KeyEncryptionKey.decode(sixteen, SETTING));

    assertTrue(wrong.getMessage().contains("must decode to 32 bytes, but decodes to 16"), wrong.getMessage());
    assertFalse(wrong.getMessage().contains(sixteen));
  }

  @Test
  void invalidBase64IsRejectedWithoutEchoingTheValue() {
    IllegalArgumentException wrong =
        assertThrows(IllegalArgumentException.class, () -> KeyEncryptionKey.decode("not*base64!", SETTING));

    assertTrue(wrong.getMessage().contains("not valid base64"), wrong.getMessage());
    assertFalse(wrong.getMessage().contains("not*base64!"));
  }

  @Test
  void aListOfKeksIsDecodedEachNamedByItsPositionWhenWrong() {
    byte[] one = new byte[32];
    byte[] two = new byte[32];
    two[0] = 1;
    String list = Base64.getEncoder().encodeToString(one) + ", " + Base64.getEncoder().encodeToString(two);

    List<byte[]> keks = KeyEncryptionKey.decodeAll(list, SETTING);
    assertEquals(2, keks.size());
    assertArrayEquals(two, keks.get(1));
    assertEquals(List.of(), KeyEncryptionKey.decodeAll(" ", SETTING));
    IllegalArgumentException wrong = assertThrows(IllegalArgumentException.class,
        () -> KeyEncryptionKey.decodeAll(list + ",AAAA", SETTING));
    assertTrue(wrong.getMessage().startsWith(SETTING + ", entry 3 must decode to 32 bytes"), wrong.getMessage());
  }
}
