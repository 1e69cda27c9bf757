package dev.cascade.keymanager.config;

import dev.cascade.dnssec.keys.KeyEncryptionKey;
import dev.cascade.dnssec.keys.KeyWrap;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Provides the {@link KeyWrap} built from the key-encryption key and the previous ones, which a KEK rotation keeps
 * until every key is wrapped again ({@code KekRotation}). {@link Startup} makes Quarkus build it during boot, so a bad
 * {@value #SETTING} or {@value #PREVIOUS} fails the start with a message that names the setting (never its value).
 */
@Singleton
public class KeyWrapProducer {

  /** Set from the environment variable CASCADE_KEY_ENCRYPTION_KEY in application.properties. */
  static final String SETTING = "cascade.key-encryption-key";

  /** Set from the environment variable CASCADE_PREVIOUS_KEY_ENCRYPTION_KEYS in application.properties. */
  static final String PREVIOUS = "cascade.previous-key-encryption-keys";

  @Produces
  @Singleton
  @Startup
  KeyWrap keyWrap(
      @ConfigProperty(name = SETTING) Optional<String> keyEncryptionKey,
      @ConfigProperty(name = PREVIOUS) Optional<String> previous) {
    byte[] kek =
        KeyEncryptionKey.decode(
            keyEncryptionKey.orElse(null), SETTING + " (environment variable CASCADE_KEY_ENCRYPTION_KEY)");
    return new KeyWrap(kek, KeyEncryptionKey.decodeAll(
        previous.orElse(null), PREVIOUS + " (environment variable CASCADE_PREVIOUS_KEY_ENCRYPTION_KEYS)"));
  }
}
