package dev.cascade.dnssec.pkcs11;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Where a PKCS#11 token is and how to log in to it.
 *
 * @param library the PKCS#11 module, e.g. {@code /usr/lib/softhsm/libsofthsm2.so} (Debian's softhsm2)
 * @param tokenLabel the token's label (CKA_LABEL of the token, {@code softhsm2-util --init-token --label}); it names
 *     the token in the keys' RFC 7512 URIs
 * @param slot the slot id of the token, as {@code softhsm2-util --show-slots} or {@code pkcs11-tool -L} print it;
 *     null to take the slot at {@code slotListIndex}. SunPKCS11 selects tokens by slot only, not by label.
 * @param slotListIndex the index in the module's list of slots with a token, used when {@code slot} is null
 * @param pin the user PIN; never logged ({@link #toString()} leaves it out)
 */
public record Pkcs11Config(Path library, String tokenLabel, Long slot, int slotListIndex, char[] pin) {
  public Pkcs11Config {
    Objects.requireNonNull(library, "library");
    Objects.requireNonNull(tokenLabel, "tokenLabel");
    Objects.requireNonNull(pin, "pin");
    if (tokenLabel.isBlank()) {
      throw new IllegalArgumentException("the PKCS#11 token label is empty");
    }
    if (slotListIndex < 0) {
      throw new IllegalArgumentException("slot list index " + slotListIndex + " is negative");
    }
    pin = pin.clone();
  }

  /**
   * A configuration from a service's settings: the PIN from {@code pinFile} (its first line) if given, else from
   * {@code pinValue} (an environment variable).
   *
   * @param setting the settings' prefix, for messages, e.g. {@code cascade.pkcs11}
   * @throws IllegalArgumentException naming the setting when the PIN is missing or its file unreadable; never with
   *     the PIN
   */
  public static Pkcs11Config of(String setting, String library, String tokenLabel, Long slot, int slotListIndex,
      String pinFile, String pinValue) {
    String pin = pinValue;
    if (pinFile != null && !pinFile.isBlank()) {
      try {
        pin = Files.readAllLines(Path.of(pinFile), StandardCharsets.UTF_8).stream().findFirst().orElse("");
      } catch (IOException e) {
        throw new IllegalArgumentException(setting + ".pin-file " + pinFile + " cannot be read: " + e.getMessage(), e);
      }
    }
    if (pin == null || pin.isEmpty()) {
      throw new IllegalArgumentException(setting + ": no PIN (" + setting + ".pin-file, or the environment variable "
          + "CASCADE_PKCS11_PIN)");
    }
    if (tokenLabel == null) {
      throw new IllegalArgumentException(setting + ".token-label is not set");
    }
    return new Pkcs11Config(Path.of(library), tokenLabel, slot, slotListIndex, pin.toCharArray());
  }

  @Override
  public char[] pin() {
    return pin.clone();
  }

  @Override
  public String toString() {
    return "Pkcs11Config[library=" + library + ", token=" + tokenLabel
        + (slot != null ? ", slot=" + slot : ", slotListIndex=" + slotListIndex) + "]";
  }
}
