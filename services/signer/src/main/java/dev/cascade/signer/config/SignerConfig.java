package dev.cascade.signer.config;

import dev.cascade.dnssec.keys.KeyEncryptionKey;
import dev.cascade.dnssec.keys.KeyWrap;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;
import java.time.Duration;
import java.util.Optional;

/** The signer's own settings under {@code cascade.}. */
@ConfigMapping(prefix = "cascade")
public interface SignerConfig {

  /**
   * Base64 of the 32-byte AES key that wraps private keys (from {@code CASCADE_KEY_ENCRYPTION_KEY}); the key manager
   * wraps with the same key.
   */
  @WithName("key-encryption-key")
  String keyEncryptionKey();

  /** Apicurio registry URL for the content reader and writer (design: {@code cascade.registry.url}). */
  @WithName("registry.url")
  String registryUrl();

  /**
   * How often the signature refresh looks for zones due for re-signing; zero turns the timer off (tests call the
   * check directly). Default one minute: the shortest signature refresh interval a policy may set is 60 s (reference
   * Cascade, {@code SigningPolicy.MIN_REFRESH_INTERVAL}), so every policy's cadence is honoured to the minute.
   */
  @WithName("signer.refresh-check-interval")
  @WithDefault("PT1M")
  Duration refreshCheckInterval();

  /**
   * Base64 of earlier key-encryption keys, comma-separated, kept while a KEK rotation wraps every key again under the
   * current one (from {@code CASCADE_PREVIOUS_KEY_ENCRYPTION_KEYS}); unwrapping only.
   */
  @WithName("previous-key-encryption-keys")
  Optional<String> previousKeyEncryptionKeys();

  /**
   * The current and the previous key-encryption keys, ready to unwrap; refuses anything that is not base64 of exactly
   * 32 bytes (AES-256), naming the setting, never the value.
   */
  default KeyWrap keyWrap() {
    return new KeyWrap(
        KeyEncryptionKey.decode(keyEncryptionKey(), "cascade.key-encryption-key"),
        KeyEncryptionKey.decodeAll(previousKeyEncryptionKeys().orElse(null), "cascade.previous-key-encryption-keys"));
  }
}
