package dev.cascade.service.messaging;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/**
 * {@code cascade.handler.*}: the {@link RetryPolicy} of every consumer. A mapping of its own, so that services whose
 * own mapping has the prefix {@code cascade} (and refuses keys it does not know) accept these keys too. The defaults
 * are argued in {@link RetryPolicy}.
 */
@ConfigMapping(prefix = "cascade.handler")
public interface HandlerConfig {

  /** How often a handler runs before its record is set aside. */
  @WithDefault("6")
  int attempts();

  /** The wait after the first failure. */
  @WithDefault("1s")
  Duration initialBackoff();

  /** The longest wait between two attempts. */
  @WithDefault("16s")
  Duration maxBackoff();

  default RetryPolicy retryPolicy() {
    return new RetryPolicy(attempts(), initialBackoff(), maxBackoff());
  }
}
