package dev.cascade.testinfra;

import java.util.concurrent.TimeUnit;

/** Stopping the tests' child processes (servers, daemons) the same way everywhere. */
public final class Processes {

  private Processes() {}

  /** SIGTERM and up to {@code graceSeconds} for a clean exit, then SIGKILL and as long again for it to end. */
  public static void stop(Process process, int graceSeconds) {
    if (process == null || !process.isAlive()) {
      return;
    }
    process.destroy();
    try {
      if (!process.waitFor(graceSeconds, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(graceSeconds, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
  }
}
