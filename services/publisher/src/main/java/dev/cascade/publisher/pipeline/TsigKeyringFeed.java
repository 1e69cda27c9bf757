package dev.cascade.publisher.pipeline;

import dev.cascade.service.tsig.FollowedTsigKeyring;
import dev.cascade.service.tsig.TsigKeyring;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The publisher's TSIG keyring, kept up to the key topic from start on ({@link FollowedTsigKeyring}): the DNS servers
 * verify and sign transfers and take signed NOTIFYs with it, the notifier signs NOTIFYs.
 */
@ApplicationScoped
public class TsigKeyringFeed {

  private final FollowedTsigKeyring followed;

  public TsigKeyringFeed(
      @ConfigProperty(name = FollowedTsigKeyring.SETTING) Optional<String> keyEncryptionKey,
      @ConfigProperty(name = FollowedTsigKeyring.PREVIOUS) Optional<String> previous,
      @ConfigProperty(name = "kafka.bootstrap.servers") String bootstrapServers,
      @ConfigProperty(name = "cascade.registry.url") String registryUrl) {
    this.followed = new FollowedTsigKeyring(keyEncryptionKey, previous, bootstrapServers, registryUrl);
  }

  @Produces
  @Singleton
  TsigKeyring keyring() {
    return followed.keyring();
  }

  void onStart(@Observes StartupEvent event) {
    followed.start();
  }

  void onStop(@Observes ShutdownEvent event) {
    followed.close();
  }
}
