package dev.cascade.systemtests.harness;

import dev.cascade.testinfra.dns.DnsServerProcess;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** Starting and stopping child processes (JVMs, knotd, unbound) the same way everywhere. */
final class ChildProcesses {

  private ChildProcesses() {}

  /** The java launcher of this JVM, so every child runs the same Java. */
  static String java() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  /** A Debian daemon's path: they live in /usr/sbin, which is not on every user's PATH. */
  static String program(String name) {
    return DnsServerProcess.path(name);
  }

  /** knotd with {@code home}'s {@code knot.conf}, its standard output and error in {@code home}'s {@code knotd.out}. */
  static Process knotd(Path home) throws IOException {
    return new ProcessBuilder(program("knotd"), "-c", home.resolve("knot.conf").toString())
        .redirectErrorStream(true)
        .redirectOutput(home.resolve("knotd.out").toFile())
        .start();
  }

  /** SIGTERM and up to {@code graceSeconds} for a clean exit, then SIGKILL. */
  static void stop(Process process, int graceSeconds) {
    if (process == null || !process.isAlive()) {
      return;
    }
    process.destroy();
    try {
      if (!process.waitFor(graceSeconds, TimeUnit.SECONDS)) {
        kill(process);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
  }

  /** SIGKILL: no shutdown hooks, no clean Kafka commit; what a crash looks like. */
  static void kill(Process process) {
    if (process == null) {
      return;
    }
    process.destroyForcibly();
    try {
      process.waitFor(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
