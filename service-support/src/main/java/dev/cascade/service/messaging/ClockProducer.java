package dev.cascade.service.messaging;

import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.time.Clock;

/**
 * Every service's time source: UTC system time, the one clock behind event timestamps, signature inception and
 * expiration, serials and progress reports. Injected rather than read where needed, so that a test can put a clock of
 * its own in its place (an alternative bean, such as a Quarkus {@code @Mock}).
 */
public class ClockProducer {

  @Produces
  @Singleton
  Clock clock() {
    return Clock.systemUTC();
  }
}
