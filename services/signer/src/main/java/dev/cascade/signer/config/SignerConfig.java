package dev.cascade.signer.config;

import dev.cascade.dnssec.keys.KeyEncryptionKey;
import dev.cascade.dnssec.keys.KeyWrap;
import dev.cascade.dnssec.pkcs11.Pkcs11Config;
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

  /** The PKCS#11 module of the token the key manager keeps keys in; empty for none (software keys only). */
  @WithName("pkcs11.library")
  Optional<String> pkcs11Library();

  /** The token's label, which the keys' RFC 7512 URIs name. */
  @WithName("pkcs11.token-label")
  Optional<String> pkcs11TokenLabel();

  /** The token's slot id; empty to take the slot at {@link #pkcs11SlotListIndex()}. */
  @WithName("pkcs11.slot")
  Optional<Long> pkcs11Slot();

  /** The index in the module's list of slots with a token, when no slot id is given. */
  @WithName("pkcs11.slot-list-index")
  @WithDefault("0")
  int pkcs11SlotListIndex();

  /** The id policies name the token by; the signer finds keys by URI and needs it only to be configured alike. */
  @WithName("pkcs11.server-id")
  Optional<String> pkcs11ServerId();

  /** A file whose first line is the user PIN. */
  @WithName("pkcs11.pin-file")
  Optional<String> pkcs11PinFile();

  /** The user PIN (from {@code CASCADE_PKCS11_PIN}), when no PIN file is given; never logged. */
  @WithName("pkcs11.pin")
  Optional<String> pkcs11Pin();

  /**
   * The token to sign with keys the key manager keeps there; empty when no module is configured.
   *
   * @throws IllegalArgumentException naming the setting when the label or PIN is missing (never the PIN)
   */
  default Optional<Pkcs11Config> pkcs11() {
    return pkcs11Library().map(library -> Pkcs11Config.of("cascade.pkcs11", library, pkcs11TokenLabel().orElse(null),
        pkcs11Slot().orElse(null), pkcs11SlotListIndex(), pkcs11PinFile().orElse(null), pkcs11Pin().orElse(null)));
  }

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
