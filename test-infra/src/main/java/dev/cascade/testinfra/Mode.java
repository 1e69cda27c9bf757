package dev.cascade.testinfra;

import java.util.Locale;
import org.testcontainers.DockerClientFactory;

/**
 * Where a test service comes from. The order is the one every resource follows: a service the environment names, then
 * Testcontainers, then the in-JVM (or child process) fallback that needs nothing installed (stack-notes §7).
 */
enum Mode {
  /** An already running service named by an environment variable or system property. */
  EXTERNAL,
  /** A container, only where a Docker engine answers. */
  CONTAINERS,
  /** In the test JVM, or a child process for the registry. */
  EMBEDDED;

  /** Forces one mode for every service: {@code TEST_SERVICES=external|containers|embedded}. */
  static final String FORCE_VARIABLE = "TEST_SERVICES";

  /**
   * The mode for one service.
   *
   * @param externalVariable the variable that names the external service, e.g. {@code KAFKA_BOOTSTRAP_SERVERS}
   */
  static Mode select(String externalVariable) {
    String forced = Settings.get(FORCE_VARIABLE);
    if (forced != null) {
      try {
        return Mode.valueOf(forced.trim().toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw new IllegalStateException(
            FORCE_VARIABLE + "=" + forced + " is not one of external, containers, embedded", e);
      }
    }
    if (Settings.get(externalVariable) != null) {
      return EXTERNAL;
    }
    return dockerAvailable() ? CONTAINERS : EMBEDDED;
  }

  private static Boolean docker;

  /** Asked once: without an engine the detection costs about 0.45 s and logs an ERROR (stack-notes §7). */
  private static synchronized boolean dockerAvailable() {
    if (docker == null) {
      boolean available;
      try {
        available = DockerClientFactory.instance().isDockerAvailable();
      } catch (RuntimeException | LinkageError e) {
        available = false;
      }
      docker = available;
    }
    return docker;
  }
}
