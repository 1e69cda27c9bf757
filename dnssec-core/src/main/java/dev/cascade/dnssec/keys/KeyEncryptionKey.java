package dev.cascade.dnssec.keys;

import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * The key-encryption key (KEK) that wraps every private key at rest and on the bus: AES-256, so exactly 32 bytes,
 * given as base64 (house-style §6: software keys travel only wrapped). Parsing errors name the setting, never the value.
 */
public final class KeyEncryptionKey {

  /** AES-256 key length in bytes (FIPS 197 §5). */
  public static final int LENGTH = 32;

  private KeyEncryptionKey() {}

  /**
   * Decodes the configured KEK.
   *
   * @param base64 the configured value, possibly absent
   * @param setting the name of the setting, for the error message
   * @throws IllegalArgumentException if it is missing, not base64 or not 32 bytes long
   */
  public static byte[] decode(String base64, String setting) {
    String hint = " (set it to the base64 of 32 random bytes, e.g. the output of `openssl rand -base64 32`)";
    if (base64 == null || base64.isBlank()) {
      throw new IllegalArgumentException(setting + " is not set" + hint);
    }
    byte[] kek;
    try {
      kek = Base64.getDecoder().decode(base64.trim());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(setting + " is not valid base64" + hint);
    }
    if (kek.length != LENGTH) {
      throw new IllegalArgumentException(
          setting + " must decode to " + LENGTH + " bytes, but decodes to " + kek.length + hint);
    }
    return kek;
  }

  /**
   * Decodes a comma-separated list of KEKs, as {@link #decode} each; a missing or blank value is none.
   *
   * @param setting the name of the setting, for the error message
   * @throws IllegalArgumentException if one of them is not base64 of 32 bytes; the message gives its position only
   */
  public static List<byte[]> decodeAll(String commaSeparated, String setting) {
    if (commaSeparated == null || commaSeparated.isBlank()) {
      return List.of();
    }
    String[] values = commaSeparated.split(",");
    List<byte[]> keks = new ArrayList<>();
    for (int i = 0; i < values.length; i++) {
      keks.add(decode(values[i], setting + ", entry " + (i + 1)));
    }
    return List.copyOf(keks);
  }
}
