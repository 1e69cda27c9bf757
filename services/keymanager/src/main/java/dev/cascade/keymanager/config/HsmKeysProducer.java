package dev.cascade.keymanager.config;

import dev.cascade.dnssec.keys.KeyGenerator;
import dev.cascade.dnssec.pkcs11.Pkcs11Config;
import dev.cascade.dnssec.pkcs11.Pkcs11Token;
import dev.cascade.keymanager.domain.HsmKeys;
import dev.cascade.keymanager.domain.KeySetGenerator;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Provides the PKCS#11 token keys may be generated in ({@value #PREFIX}{@code .*}; none by default: software keys
 * only, as before) and the {@link KeySetGenerator} that uses it for the zones whose policy names it. {@link Startup}
 * opens the token during boot, so a wrong module, slot or PIN fails the start with a message that names the setting
 * (never the PIN).
 */
@Singleton
public class HsmKeysProducer {

  static final String PREFIX = "cascade.pkcs11";
  private static final Logger LOG = Logger.getLogger(HsmKeysProducer.class);

  @Produces
  @Singleton
  @Startup
  HsmKeys hsmKeys(
      @ConfigProperty(name = PREFIX + ".library") Optional<String> library,
      @ConfigProperty(name = PREFIX + ".server-id") Optional<String> serverId,
      @ConfigProperty(name = PREFIX + ".token-label") Optional<String> tokenLabel,
      @ConfigProperty(name = PREFIX + ".slot") Optional<Long> slot,
      @ConfigProperty(name = PREFIX + ".slot-list-index", defaultValue = "0") int slotListIndex,
      @ConfigProperty(name = PREFIX + ".pin-file") Optional<String> pinFile,
      @ConfigProperty(name = PREFIX + ".pin") Optional<String> pin) {
    if (library.isEmpty()) {
      return HsmKeys.NONE;
    }
    Pkcs11Config config = Pkcs11Config.of(PREFIX, library.get(), tokenLabel.orElse(null), slot.orElse(null),
        slotListIndex, pinFile.orElse(null), pin.orElse(null));
    Pkcs11Token token = Pkcs11Token.open(config);
    String id = serverId.orElse(config.tokenLabel());
    LOG.infof("PKCS#11 token %s (%s) open: policies with hsm-server-id \"%s\" get their keys there", id, config,
        id);
    return new HsmKeys(id, token);
  }

  @Produces
  @Singleton
  KeySetGenerator keySetGenerator(HsmKeys hsmKeys, Clock clock) {
    return new KeySetGenerator(KeyGenerator::generate, hsmKeys.sources(), clock);
  }
}
