package dev.cascade.signer.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;
import java.time.Duration;
import java.util.Base64;

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

  /** The key-encryption key as bytes; refuses anything that is not base64 of exactly 32 bytes (AES-256). */
  default byte[] keyEncryptionKeyBytes() {
    byte[] kek;
    try {
      kek = Base64.getDecoder().decode(keyEncryptionKey().trim());
    } catch (IllegalArgumentException e) {
      throw new IllegalStateException("cascade.key-encryption-key is not valid base64");
    }
    if (kek.length != 32) {
      throw new IllegalStateException(
          "cascade.key-encryption-key must be base64 of 32 bytes, it has " + kek.length + " bytes");
    }
    return kek;
  }
}
