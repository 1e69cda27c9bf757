package dev.cascade.keymanager.config;

import dev.cascade.keymanager.domain.KeySetGenerator;
import dev.cascade.keymanager.domain.LatestChecks;
import dev.cascade.keymanager.domain.RollDriver;
import dev.cascade.keymanager.propagation.DnsPropagationChecker;
import dev.cascade.keymanager.propagation.ServerName;
import dev.cascade.service.tsig.FollowedTsigKeyring;
import dev.cascade.service.tsig.TsigKeyring;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.xbill.DNS.ExtendedResolver;

/**
 * Provides the {@link RollDriver}, with the key manager's key generator ({@code HsmKeysProducer}), the service's clock
 * and the propagation checks on real DNS: a zone whose policy names no {@code publication-nameservers} is checked at
 * {@code cascade.keymanager.publication-servers}, Cascade's own publication servers; a parent is found through the
 * resolvers of /etc/resolv.conf (dnsjava's {@code ResolverConfig}). A server a policy names with {@code ^<key>} is
 * asked with that TSIG key, from the keyring kept up to {@code cascade.tsig-keys.v1} ({@link FollowedTsigKeyring},
 * its secrets unwrapped under the key manager's KEK).
 */
@Singleton
public class RollDriverProducer {

  private DnsPropagationChecker checker;

  @Produces
  @Singleton
  RollDriver rollDriver(
      Clock clock,
      KeySetGenerator generator,
      @ConfigProperty(name = "cascade.keymanager.publication-servers") List<String> publicationServers,
      @ConfigProperty(name = "cascade.keymanager.propagation.query-timeout") Duration queryTimeout,
      @ConfigProperty(name = "cascade.keymanager.propagation.transfer-timeout") Duration transferTimeout,
      TsigKeyring tsigKeys) {
    ExtendedResolver resolver = new ExtendedResolver();
    resolver.setTimeout(queryTimeout);
    checker = new DnsPropagationChecker(publicationServers.stream().map(ServerName::parse).toList(), resolver,
        tsigKeys, queryTimeout, transferTimeout);
    return new RollDriver(generator, checker, clock);
  }

  /** The latest propagation checks: written by the roll timer, read by {@code GET /keys/{zone}}. */
  @Produces
  @Singleton
  LatestChecks latestChecks() {
    return new LatestChecks();
  }

  @PreDestroy
  void close() {
    if (checker != null) {
      checker.close();
    }
  }
}
