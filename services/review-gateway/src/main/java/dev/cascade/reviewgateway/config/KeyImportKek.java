package dev.cascade.reviewgateway.config;

import dev.cascade.dnssec.keys.KeyEncryptionKey;
import dev.cascade.dnssec.keys.KeyWrap;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The key-encryption key review-gateway wraps imported private keys under ({@code KeyImports}), the keymanager's
 * current one. Optional: without it review-gateway runs as before and refuses key imports, so only a deployment that
 * imports keys widens the set of services holding the KEK (docs/architecture.md, rule 3). A value that is set but
 * not base64 of 32 bytes fails the start with a message naming the setting, never its value.
 */
@ApplicationScoped
public class KeyImportKek {

  /** Set from the environment variable CASCADE_KEY_ENCRYPTION_KEY in application.properties. */
  static final String SETTING = "cascade.key-encryption-key";

  private final KeyWrap keyWrap;

  public KeyImportKek(@ConfigProperty(name = SETTING) Optional<String> keyEncryptionKey) {
    this.keyWrap = keyEncryptionKey.filter(s -> !s.isBlank())
        .map(s -> new KeyWrap(
            KeyEncryptionKey.decode(s, SETTING + " (environment variable CASCADE_KEY_ENCRYPTION_KEY)")))
        .orElse(null);
  }

  /** The KEK, or null when none is configured. */
  public KeyWrap keyWrap() {
    return keyWrap;
  }
}
