package dev.cascade.service.tsig;

import dev.cascade.dnssec.keys.KeyEncryptionKey;
import dev.cascade.dnssec.keys.KeyWrap;
import dev.cascade.service.kafka.KafkaSettings;
import dev.cascade.service.kafka.TsigKeyFeed;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * A service's TSIG keyring ({@link TsigKeyring}) kept up to the key topic, for the services that sign or verify with
 * TSIG: the loader signs its queries and transfers to a primary whose source names a key, the publisher verifies and
 * signs transfers and NOTIFYs. The keyring is produced, and the topic followed from its beginning, only in a service
 * that injects it: in the others the bean is unused and left out of the build (Quarkus removes unused beans), so
 * they open no consumer.
 *
 * <p>The secrets are unwrapped under the key-encryption key, which such a service holds only where TSIG is used:
 * without it the keyring has no usable key, and anything that needs one is refused (docs/operations.md, "TSIG").
 */
@ApplicationScoped
public class FollowedTsigKeyring {

  private static final Logger LOG = Logger.getLogger(FollowedTsigKeyring.class);

  /** The setting of the key-encryption key, from the environment variable CASCADE_KEY_ENCRYPTION_KEY. */
  static final String SETTING = "cascade.key-encryption-key";
  /** The previous key-encryption keys during a rotation, from CASCADE_PREVIOUS_KEY_ENCRYPTION_KEYS. */
  static final String PREVIOUS = "cascade.previous-key-encryption-keys";

  private final TsigKeyring keyring;
  private final String bootstrapServers;
  private final String registryUrl;
  private TsigKeyFeed feed;

  /**
   * @param keyEncryptionKey base64 of the current KEK ({@link #SETTING}), empty where the service has none
   * @param previous the previous KEKs ({@link #PREVIOUS})
   */
  public FollowedTsigKeyring(
      @ConfigProperty(name = SETTING) Optional<String> keyEncryptionKey,
      @ConfigProperty(name = PREVIOUS) Optional<String> previous,
      @ConfigProperty(name = "kafka.bootstrap.servers") String bootstrapServers,
      @ConfigProperty(name = "cascade.registry.url") String registryUrl) {
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

  /** The keyring, following the key topic from its beginning from the first injection on. */
  @Produces
  @Singleton
  synchronized TsigKeyring keyring() {
    if (feed == null) {
      feed = TsigKeyFeed.start(KafkaSettings.historyConsumer(bootstrapServers, registryUrl), keyring);
    }
    return keyring;
  }

  @PreDestroy
  synchronized void close() {
    if (feed != null) {
      feed.close();
    }
  }
}
