package dev.cascade.service.tracing;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * {@code cascade.tracing.*}: whether spans are recorded and exported ({@link ExportSampler}). A mapping of its own,
 * like service-support's other settings, so that services whose own mapping has the prefix {@code cascade} (and
 * refuses keys it does not know) accept it too.
 */
@ConfigMapping(prefix = "cascade.tracing")
public interface TracingConfig {

  /** Record and export spans; off by default, so a laptop without a collector logs no export errors. */
  @WithDefault("false")
  boolean export();
}
