package dev.cascade.systemtests.chaos;

import dev.cascade.testinfra.RepositoryRoot;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The local HA stack, {@code REPLICAS=n BROKERS=m deploy/local/stack.sh up}, in a state directory of its own: the
 * processes a user of {@code make up REPLICAS=2 BROKERS=3} runs, started and stopped by the script they use. Instance
 * i of a service and broker i write {@code pids/<service>-<i>.pid} and {@code pids/broker-<i>.pid}; replica i serves
 * on the standard ports plus 100 × (i − 1).
 */
final class HaStack implements AutoCloseable {

  /** A start of the whole HA stack on 2 busy cores: 3 brokers, the registry, PostgreSQL and 10 service JVMs. */
  private static final long UP_TIMEOUT_SECONDS = 600;

  static final List<String> SERVICES = List.of("loader", "keymanager", "signer", "publisher", "review-gateway");

  private final Path script;
  private final Path state;
  private final int replicas;
  private final int brokers;

  private HaStack(Path state, int replicas, int brokers) {
    this.script = RepositoryRoot.find().resolve("deploy/local/stack.sh");
    this.state = state;
    this.replicas = replicas;
    this.brokers = brokers;
  }

  /** Starts the whole stack and returns once every process is ready; stops what started if it fails. */
  static HaStack up(Path state, int replicas, int brokers) {
    HaStack stack = new HaStack(state, replicas, brokers);
    try {
      stack.startMissing();
      return stack;
    } catch (RuntimeException | Error e) {
      stack.close();
      throw e;
    }
  }

  int replicas() {
    return replicas;
  }

  int brokers() {
    return brokers;
  }

  /** Where the zone files go: inside the state directory, which the services can read. */
  Path zoneDirectory() throws IOException {
    return Files.createDirectories(state.resolve("zones"));
  }

  /** Every process name: {@code <service>-<i>} for each replica, {@code broker-<i>} for each broker. */
  List<String> processes() {
    List<String> names = new ArrayList<>();
    for (String service : SERVICES) {
      for (int i = 1; i <= replicas; i++) {
        names.add(service + "-" + i);
      }
    }
    for (int i = 1; i <= brokers; i++) {
      names.add("broker-" + i);
    }
    return names;
  }

  /** The port of {@code base} (a replica-1 port) on replica {@code instance}. */
  static int port(int base, int instance) {
    return base + 100 * (instance - 1);
  }

  static String kafkaBootstrap(int brokers) {
    List<String> servers = new ArrayList<>();
    for (int i = 1; i <= brokers; i++) {
      servers.add("127.0.0.1:" + port(9092, i));
    }
    return String.join(",", servers);
  }

  String kafkaBootstrap() {
    return kafkaBootstrap(brokers);
  }

  String registryUrl() {
    return "http://127.0.0.1:8089/apis/registry/v2";
  }

  /** Sends {@code signal} ("KILL", "STOP", "CONT") to a process of the stack. */
  void signal(String process, String signal) {
    long pid = pid(process);
    run(List.of("kill", "-" + signal, Long.toString(pid)), 10);
  }

  /** Starts whatever does not run (stack.sh up is idempotent) and waits until it is ready. */
  void startMissing() {
    run(List.of(script.toString(), "up"), UP_TIMEOUT_SECONDS);
  }

  long pid(String process) {
    Path file = state.resolve("pids").resolve(process + ".pid");
    try {
      return Long.parseLong(Files.readString(file).trim());
    } catch (IOException e) {
      throw new UncheckedIOException("no PID file " + file, e);
    }
  }

  /** The log of a process, for a failure message. */
  String logTail(String process, int lines) {
    Path log = state.resolve("logs").resolve(process + ".log");
    try {
      List<String> all = Files.readAllLines(log);
      return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    } catch (IOException e) {
      return "(no log " + log + ")";
    }
  }

  @Override
  public void close() {
    run(List.of(script.toString(), "down"), 300);
  }

  private void run(List<String> command, long timeoutSeconds) {
    // Output to a file, not a pipe: the processes the script starts in the background could hold a pipe open.
    Path output = state.resolve("stack-command.log");
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile());
    builder.environment().put("CASCADE_STATE_DIR", state.toString());
    builder.environment().put("REPLICAS", Integer.toString(replicas));
    builder.environment().put("BROKERS", Integer.toString(brokers));
    try {
      Process process = builder.start();
      if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new IllegalStateException(String.join(" ", command) + " did not finish in " + timeoutSeconds + " s");
      }
      if (process.exitValue() != 0) {
        throw new IllegalStateException(
            String.join(" ", command) + " failed (" + process.exitValue() + "):\n" + Files.readString(output));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot run " + command, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted: " + command, e);
    }
  }
}
