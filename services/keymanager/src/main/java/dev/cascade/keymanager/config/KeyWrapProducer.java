package dev.cascade.keymanager.config;

import dev.cascade.dnssec.keys.KeyWrap;
import dev.cascade.keymanager.domain.KeyEncryptionKey;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Provides the {@link KeyWrap} built from the key-encryption key. {@link Startup} makes Quarkus build it during boot,
 * so a bad {@value #SETTING} fails the start with a message that names the setting (never its value).
 */
@Singleton
public class KeyWrapProducer {

  /** Set from the environment variable CASCADE_KEY_ENCRYPTION_KEY in application.properties. */
  static final String SETTING = "cascade.key-encryption-key";

  @Produces
  @Singleton
  @Startup
  KeyWrap keyWrap(@ConfigProperty(name = SETTING) Optional<String> keyEncryptionKey) {
    byte[] kek =
        KeyEncryptionKey.decode(
            keyEncryptionKey.orElse(null), SETTING + " (environment variable CASCADE_KEY_ENCRYPTION_KEY)");
    return new KeyWrap(kek);
  }
}
