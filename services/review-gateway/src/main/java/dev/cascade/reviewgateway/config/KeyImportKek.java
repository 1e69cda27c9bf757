package dev.cascade.reviewgateway.config;

import dev.cascade.dnssec.keys.KeyEncryptionKey;
import dev.cascade.dnssec.keys.KeyWrap;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The key-encryption key review-gateway wraps imported private keys ({@code KeyImports}) and TSIG secrets under, the
 * keymanager's current one, with the previous ones during a KEK rotation, under which the TSIG secrets on the topic
 * are unwrapped to be wrapped again ({@code TsigKeyDirectory}). Optional: without it review-gateway runs as before and
 * refuses key imports and TSIG keys, so only a deployment that uses them widens the set of services holding the KEK
 * (docs/architecture.md, rule 3). A value that is set but not base64 of 32 bytes fails the start with a message
 * naming the setting, never its value.
 */
@ApplicationScoped
public class KeyImportKek {

  /** Set from the environment variable CASCADE_KEY_ENCRYPTION_KEY in application.properties. */
  static final String SETTING = "cascade.key-encryption-key";

  /** Set from the environment variable CASCADE_PREVIOUS_KEY_ENCRYPTION_KEYS in application.properties. */
  static final String PREVIOUS = "cascade.previous-key-encryption-keys";

  private final KeyWrap keyWrap;

  public KeyImportKek(@ConfigProperty(name = SETTING) Optional<String> keyEncryptionKey,
      @ConfigProperty(name = PREVIOUS) Optional<String> previous) {
    this.keyWrap = keyEncryptionKey.filter(s -> !s.isBlank())
        .map(s -> new KeyWrap(
            KeyEncryptionKey.decode(s, SETTING + " (environment variable CASCADE_KEY_ENCRYPTION_KEY)"),
            KeyEncryptionKey.decodeAll(
                previous.orElse(""), PREVIOUS + " (environment variable CASCADE_PREVIOUS_KEY_ENCRYPTION_KEYS)")))
        .orElse(null);
  }

  /** The KEK, or null when none is configured. */
  public KeyWrap keyWrap() {
    return keyWrap;
  }
}
