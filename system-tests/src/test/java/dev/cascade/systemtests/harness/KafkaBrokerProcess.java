package dev.cascade.systemtests.harness;

import dev.cascade.testinfra.FreePort;
import dev.cascade.testinfra.Readiness;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Uuid;

/**
 * A single-node KRaft Kafka 4.1.2 (broker and controller in one JVM, stack-notes §1a) run as its own process from the
 * broker jars on this module's test classpath, on random loopback ports.
 */
final class KafkaBrokerProcess implements AutoCloseable {

  /** Stack-notes §1a: the port opens about 4.6 s after launch on a quiet machine; allow for 2 busy cores. */
  private static final Duration START_TIMEOUT = Duration.ofSeconds(90);

  private final Process process;
  private final String bootstrap;

  private KafkaBrokerProcess(Process process, String bootstrap) {
    this.process = process;
    this.bootstrap = bootstrap;
  }

  static KafkaBrokerProcess start(Path directory, Path log) throws IOException, InterruptedException {
    int port = FreePort.next();
    int controllerPort = FreePort.next();
    Files.createDirectories(directory);
    Path data = Files.createDirectories(directory.resolve("data"));
    Path properties = directory.resolve("server.properties");
    // The settings of stack-notes §1a: one combined node, replication factor 1 for the internal topics, topics
    // created on first use with one partition (every Cascade topic is keyed by zone, so one partition keeps order).
    Files.writeString(
        properties,
        String.join(
            "\n",
            "process.roles=broker,controller",
            "node.id=1",
            "controller.quorum.bootstrap.servers=127.0.0.1:" + controllerPort,
            "listeners=PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort,
            "advertised.listeners=PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort,
            "controller.listener.names=CONTROLLER",
            "inter.broker.listener.name=PLAINTEXT",
            "listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT",
            "log.dirs=" + data,
            "num.partitions=1",
            "offsets.topic.replication.factor=1",
            "transaction.state.log.replication.factor=1",
            "transaction.state.log.min.isr=1",
            "share.coordinator.state.topic.replication.factor=1",
            "share.coordinator.state.topic.min.isr=1",
            "group.initial.rebalance.delay.ms=0",
            "auto.create.topics.enable=true",
            ""));
    // Kafka logs through SLF4J; on this classpath that is JBoss LogManager, configured here to keep WARN and above.
    Path logging = directory.resolve("logging.properties");
    Files.writeString(
        logging,
        String.join(
            "\n",
            "loggers=kafka,org.apache.kafka,state.change.logger",
            "logger.kafka.level=WARN",
            "logger.org.apache.kafka.level=WARN",
            "logger.state.change.logger.level=WARN",
            "logger.level=INFO",
            "logger.handlers=CONSOLE",
            "handler.CONSOLE=org.jboss.logmanager.handlers.ConsoleHandler",
            "handler.CONSOLE.formatter=PATTERN",
            "formatter.PATTERN=org.jboss.logmanager.formatters.PatternFormatter",
            "formatter.PATTERN.properties=pattern",
            "formatter.PATTERN.pattern=%d{HH:mm:ss,SSS} %-5p [%c] %s%e%n",
            ""));
    List<String> jvm =
        List.of(
            ChildProcesses.java(),
            "-Xms128m",
            "-Xmx512m",
            "-XX:+UseSerialGC",
            "-Djava.util.logging.manager=org.jboss.logmanager.LogManager",
            "-Dlogging.configuration=" + logging.toUri(),
            "-cp",
            classpath());

    // Format the storage first, as `kafka-storage.sh format --standalone` does.
    Process format =
        new ProcessBuilder(
                concat(jvm, "kafka.tools.StorageTool", "format", "--standalone", "-t", Uuid.randomUuid().toString(),
                    "-c", properties.toString()))
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
            .start();
    if (!format.waitFor(120, TimeUnit.SECONDS) || format.exitValue() != 0) {
      format.destroyForcibly();
      throw new IllegalStateException("formatting Kafka storage failed; log " + log + ":\n" + Readiness.tail(log, 30));
    }

    Process broker =
        new ProcessBuilder(concat(jvm, "kafka.Kafka", properties.toString()))
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
            .start();
    KafkaBrokerProcess kafka = new KafkaBrokerProcess(broker, "127.0.0.1:" + port);
    try {
      kafka.awaitReady(log);
    } catch (RuntimeException e) {
      kafka.close();
      throw e;
    }
    return kafka;
  }

  String bootstrap() {
    return bootstrap;
  }

  /** Ready = the controller elected itself and the broker answers a metadata request. */
  private void awaitReady(Path log) {
    long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
    try (Admin admin =
        Admin.create(
            Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 3000,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 5000))) {
      while (System.nanoTime() < deadline) {
        if (!process.isAlive()) {
          throw new IllegalStateException("Kafka exited; log " + log + ":\n" + Readiness.tail(log, 40));
        }
        try {
          if (!admin.describeCluster().nodes().get(5, TimeUnit.SECONDS).isEmpty()) {
            return;
          }
        } catch (Exception notYet) {
          // Connection refused or no controller yet: poll again.
        }
        Thread.sleep(250);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    throw new IllegalStateException("Kafka not ready within " + START_TIMEOUT + "; log " + log + ":\n"
        + Readiness.tail(log, 40));
  }

  /** Surefire and failsafe put the full test classpath here; the JVM's own class path is a manifest-only jar. */
  private static String classpath() {
    String classpath = System.getProperty("surefire.test.class.path");
    return classpath == null || classpath.isBlank() ? System.getProperty("java.class.path") : classpath;
  }

  private static List<String> concat(List<String> head, String... tail) {
    return java.util.stream.Stream.concat(head.stream(), java.util.Arrays.stream(tail)).toList();
  }

  @Override
  public void close() {
    ChildProcesses.stop(process, 20);
  }
}
