package dev.cascade.systemtests.harness;

import dev.cascade.testinfra.Readiness;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** One packaged service as a child JVM; restarts append to the same log so a crash and its recovery read together. */
final class ServiceProcess {

  /** Five Quarkus apps starting at once on 2 cores: each needs 3-6 s alone (stack-notes §8), much more together. */
  static final Duration START_TIMEOUT = Duration.ofSeconds(180);

  private final CascadeService service;
  private final Path jar;
  private final Path workDirectory;
  private final Map<String, String> environment;
  private final Path log;
  private Process process;

  ServiceProcess(CascadeService service, Path jar, Path workDirectory, Map<String, String> environment, Path log) {
    this.service = service;
    this.jar = jar;
    this.workDirectory = workDirectory;
    this.environment = Map.copyOf(environment);
    this.log = log;
  }

  /** Launches the JVM without waiting; {@link #awaitReady()} waits. */
  void launch() {
    if (process != null && process.isAlive()) {
      throw new IllegalStateException(service + " is already running");
    }
    try {
      Files.writeString(
          log,
          "===== " + Instant.now() + " starting " + service.directory() + " =====\n",
          java.nio.file.StandardOpenOption.CREATE,
          java.nio.file.StandardOpenOption.APPEND);
      // Small heaps (CascadeService.heap) and the serial collector keep five JVMs on 2 cores; C1 only (no C2
      // compiler threads) cuts startup by about a quarter (stack-notes §8) and matters more than peak speed for
      // test-sized zones.
      ProcessBuilder builder =
          new ProcessBuilder(
                  List.of(
                      ChildProcesses.java(),
                      "-Xmx" + service.heap(),
                      "-XX:+UseSerialGC",
                      "-XX:TieredStopAtLevel=1",
                      "-jar",
                      jar.toString()))
              .directory(workDirectory.toFile())
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
      builder.environment().putAll(environment);
      process = builder.start();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + service.directory() + " from " + jar, e);
    }
  }

  /** Until {@code /q/health/ready} is 200: Kafka, PostgreSQL and the messaging channels are all up. */
  void awaitReady() {
    Readiness.awaitHttp200(
        URI.create("http://127.0.0.1:" + service.httpPort() + "/q/health/ready"), process, START_TIMEOUT, log);
  }

  void kill() {
    ChildProcesses.kill(process);
  }

  void stop() {
    ChildProcesses.stop(process, 15);
  }

  boolean isAlive() {
    return process != null && process.isAlive();
  }
}
