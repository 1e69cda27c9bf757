package dev.cascade.service.tsig;

import dev.cascade.dnssec.keys.KeyEncryptionKey;
import dev.cascade.dnssec.keys.KeyWrap;
import dev.cascade.service.kafka.KafkaSettings;
import dev.cascade.service.kafka.TsigKeyFeed;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * A service's TSIG keyring ({@link TsigKeyring}) kept up to the key topic from {@link #start} on, as the services
 * that sign or verify with TSIG (publisher, loader) hold it. The secrets are unwrapped under the key-encryption key,
 * which such a service holds only where TSIG is used: without it the keyring has no usable key, and anything that
 * needs one is refused (docs/operations.md, "TSIG").
 */
public final class FollowedTsigKeyring {

  private static final Logger LOG = Logger.getLogger(FollowedTsigKeyring.class);

  /** The setting of the key-encryption key, from the environment variable CASCADE_KEY_ENCRYPTION_KEY. */
  public static final String SETTING = "cascade.key-encryption-key";
  /** The previous key-encryption keys during a rotation, from CASCADE_PREVIOUS_KEY_ENCRYPTION_KEYS. */
  public static final String PREVIOUS = "cascade.previous-key-encryption-keys";

  private final TsigKeyring keyring;
  private final String bootstrapServers;
  private final String registryUrl;
  private TsigKeyFeed feed;

  /**
   * @param keyEncryptionKey base64 of the current KEK ({@link #SETTING}), empty where the service has none
   * @param previous the previous KEKs ({@link #PREVIOUS})
   */
  public FollowedTsigKeyring(Optional<String> keyEncryptionKey, Optional<String> previous, String bootstrapServers,
      String registryUrl) {
    KeyWrap keyWrap = keyEncryptionKey.filter(s -> !s.isBlank())
        .map(s -> new KeyWrap(
            KeyEncryptionKey.decode(s, SETTING + " (environment variable CASCADE_KEY_ENCRYPTION_KEY)"),
            KeyEncryptionKey.decodeAll(previous.orElse(""), PREVIOUS)))
        .orElse(null);
    if (keyWrap == null) {
      LOG.info("no key-encryption key: TSIG keys cannot be used (set CASCADE_KEY_ENCRYPTION_KEY to use them)");
    }
    this.keyring = new TsigKeyring(keyWrap);
    this.bootstrapServers = bootstrapServers;
    this.registryUrl = registryUrl;
  }

  public TsigKeyring keyring() {
    return keyring;
  }

  /** Starts following the key topic, from its beginning. */
  public synchronized void start() {
    feed = TsigKeyFeed.start(KafkaSettings.historyConsumer(bootstrapServers, registryUrl), keyring);
  }

  public synchronized void close() {
    if (feed != null) {
      feed.close();
    }
  }
}
