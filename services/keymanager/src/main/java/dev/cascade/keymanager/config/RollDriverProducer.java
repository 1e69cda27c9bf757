package dev.cascade.keymanager.config;

import dev.cascade.dnssec.keys.KeyGenerator;
import dev.cascade.keymanager.domain.KeySetGenerator;
import dev.cascade.keymanager.domain.RollDriver;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.time.Clock;

/** Provides the {@link RollDriver}, with dnssec-core's key generator and the service's clock. */
@Singleton
public class RollDriverProducer {

  @Produces
  @Singleton
  RollDriver rollDriver(Clock clock) {
    return new RollDriver(new KeySetGenerator(KeyGenerator::generate, clock), clock);
  }
}
