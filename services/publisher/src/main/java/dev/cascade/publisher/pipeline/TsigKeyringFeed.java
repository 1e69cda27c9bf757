package dev.cascade.publisher.pipeline;

import dev.cascade.dnssec.keys.KeyEncryptionKey;
import dev.cascade.dnssec.keys.KeyWrap;
import dev.cascade.service.kafka.KafkaSettings;
import dev.cascade.service.kafka.TsigKeyFeed;
import dev.cascade.service.tsig.TsigKeyring;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * The publisher's TSIG keyring ({@link TsigKeyring}), kept up to the key topic from start on: the DNS servers verify
 * and sign transfers with it, the notifier signs NOTIFYs. The secrets are unwrapped under the key-encryption key,
 * which the publisher holds only where TSIG is used: without it the keyring has no usable key, and any request or
 * entry that needs one is refused (docs/operations.md, "TSIG").
 */
@ApplicationScoped
public class TsigKeyringFeed {

  private static final Logger LOG = Logger.getLogger(TsigKeyringFeed.class);

  /** Set from the environment variable CASCADE_KEY_ENCRYPTION_KEY in application.properties. */
  static final String SETTING = "cascade.key-encryption-key";
  static final String PREVIOUS = "cascade.previous-key-encryption-keys";

  private final TsigKeyring keyring;
  private final String bootstrapServers;
  private final String registryUrl;
  private TsigKeyFeed feed;

  public TsigKeyringFeed(
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

  @Produces
  @Singleton
  TsigKeyring keyring() {
    return keyring;
  }

  void onStart(@Observes StartupEvent event) {
    feed = TsigKeyFeed.start(KafkaSettings.historyConsumer(bootstrapServers, registryUrl), keyring);
  }

  void onStop(@Observes ShutdownEvent event) {
    if (feed != null) {
      feed.close();
    }
  }
}
