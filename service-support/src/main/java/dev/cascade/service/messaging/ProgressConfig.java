package dev.cascade.service.messaging;

import dev.cascade.events.v1.PipelineStep;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

/**
 * {@code cascade.progress.*}: what {@link StepProgressEmitter} reports. A mapping of its own, like {@link
 * HandlerConfig}, so that services whose own mapping has the prefix {@code cascade} (and refuses keys it does not know)
 * accept these keys too.
 */
@ConfigMapping(prefix = "cascade.progress")
public interface ProgressConfig {

  /**
   * The step this service reports (LOAD, SIGN or PUBLISH); absent in a service that reports none, where no
   * {@link StepProgressEmitter} exists. Read at build time as well, to decide that.
   */
  Optional<PipelineStep> step();

  /**
   * The shortest time between two progress reports of one zone version, and before the first (dnssec-core {@code
   * ProgressThrottle}); default one second, where {@code ProgressThrottle.DEFAULT_INTERVAL} argues it.
   */
  @WithDefault("1s")
  Duration interval();
}
