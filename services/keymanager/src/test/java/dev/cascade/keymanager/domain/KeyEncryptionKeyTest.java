package dev.cascade.keymanager.domain;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Base64;
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
}
