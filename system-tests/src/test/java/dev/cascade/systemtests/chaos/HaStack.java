package dev.cascade.systemtests.chaos;

import dev.cascade.testinfra.RepositoryRoot;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The local HA stack, {@code REPLICAS=n BROKERS=m deploy/local/stack.sh up}, in a state directory of its own: the
 * processes a user of {@code make up REPLICAS=2 BROKERS=3} runs, started and stopped by the script they use. Instance
 * i of a service and broker i write {@code pids/<service>-<i>.pid} and {@code pids/broker-<i>.pid}; replica i serves
 * on the standard ports plus 100 × (i − 1). One loader, keymanager or signer instance may run in a network namespace
 * of the suite's own, bridged to the others' ports, so that it can be cut off ({@link #partition}).
 */
final class HaStack implements AutoCloseable {

  /** A start of the whole HA stack on 2 busy cores: 3 brokers, the registry, PostgreSQL and 10 service JVMs. */
  private static final long UP_TIMEOUT_SECONDS = 600;

  static final List<String> SERVICES = List.of("loader", "keymanager", "signer", "publisher", "review-gateway");

  private final Path script;
  private final Path state;
  private final int replicas;
  private final int brokers;
  private final Isolation isolation;

  /** Instance {@code instance} ({@code <service>-<i>}) runs in {@code namespace}, which the stack then owns. */
  record Isolation(String instance, NetworkNamespace namespace) {}

  private HaStack(Path state, int replicas, int brokers, Isolation isolation) {
    this.script = RepositoryRoot.find().resolve("deploy/local/stack.sh");
    this.state = state;
    this.replicas = replicas;
    this.brokers = brokers;
    this.isolation = isolation;
  }

  /**
   * Starts the whole stack and returns once every process is ready; stops what started, and deletes the namespace of
   * {@code isolation} (null: none), if it fails.
   */
  static HaStack up(Path state, int replicas, int brokers, Isolation isolation) {
    HaStack stack = new HaStack(state, replicas, brokers, isolation);
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

  /** The instance that runs in a network namespace, if one does. */
  Optional<String> isolated() {
    return Optional.ofNullable(isolation).map(Isolation::instance);
  }

  /**
   * Cuts the isolated instance off ({@code true}: SIGSTOP to the process groups of all its bridges, so that its
   * connections stay open but nothing passes) or heals it ({@code false}: SIGCONT).
   */
  void partition(boolean cut) {
    String instance = isolated().orElseThrow(() -> new IllegalStateException("no instance runs in a namespace"));
    List<Long> bridges;
    try (Stream<Path> files = Files.list(state.resolve("pids"))) {
      bridges = files.filter(file -> file.getFileName().toString().startsWith("bridge-" + instance + "-"))
          .map(file -> pid(file.getFileName().toString().replaceFirst("\\.pid$", ""))).toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    if (bridges.isEmpty()) {
      throw new IllegalStateException("no bridge of " + instance + " in " + state.resolve("pids"));
    }
    for (long pid : bridges) {
      // A negative PID names the process group: the bridge and the child it forked for each connection.
      run(List.of("kill", cut ? "-STOP" : "-CONT", "--", "-" + pid), 10);
    }
  }

  /** Where the zone files go: inside the state directory, which the services can read. */
  Path zoneDirectory() throws IOException {
    return Files.createDirectories(state.resolve("zones"));
  }

  /** The operator API token stack.sh wrote in the state directory (docs/operations.md, "Authentication and roles"). */
  String apiToken() throws IOException {
    return Files.readString(state.resolve("api-token")).strip();
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
    try {
      run(List.of(script.toString(), "down"), 300);
    } finally {
      if (isolation != null) {
        isolation.namespace().close();
      }
    }
  }

  private void run(List<String> command, long timeoutSeconds) {
    // Output to a file, not a pipe: the processes the script starts in the background could hold a pipe open.
    Path output = state.resolve("stack-command.log");
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile());
    builder.environment().put("CASCADE_STATE_DIR", state.toString());
    builder.environment().put("REPLICAS", Integer.toString(replicas));
    builder.environment().put("BROKERS", Integer.toString(brokers));
    if (isolation != null) {
      builder.environment().put("CASCADE_NETNS", isolation.namespace().name());
      builder.environment().put("CASCADE_NETNS_INSTANCE", isolation.instance());
    }
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
