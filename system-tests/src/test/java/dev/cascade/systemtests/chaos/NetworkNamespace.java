package dev.cascade.systemtests.chaos;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A network namespace the chaos suite makes for itself ({@code ip netns add}), its loopback up, in which one instance
 * of the HA stack runs so that it can be cut off (deploy/local/stack.sh, "One instance in a network namespace").
 * Making one needs root and a kernel and mount setup that allow it, and the bridges need socat: where either is
 * missing, {@link #create} says why and the suite injects the other faults only.
 */
final class NetworkNamespace implements AutoCloseable {

  /** Why no namespace could be made or used: the message goes to the run's report. */
  static final class Unavailable extends Exception {
    Unavailable(String reason) {
      super(reason);
    }
  }

  private final String name;

  private NetworkNamespace(String name) {
    this.name = name;
  }

  /** Makes namespace {@code name} with its loopback up, or says why it cannot. */
  static NetworkNamespace create(String name) throws Unavailable {
    Result socat = run(List.of("socat", "-V"));
    if (socat.exitCode() != 0) {
      throw new Unavailable("socat, which bridges the namespace, is missing: " + socat.output());
    }
    Result add = run(List.of("ip", "netns", "add", name));
    if (add.exitCode() != 0) {
      throw new Unavailable("ip netns add " + name + " failed (root needed): " + add.output());
    }
    NetworkNamespace namespace = new NetworkNamespace(name);
    // A new namespace's loopback is down: the bridges in it listen on 127.0.0.1.
    Result loopback = run(List.of("ip", "-n", name, "link", "set", "lo", "up"));
    if (loopback.exitCode() != 0) {
      namespace.close();
      throw new Unavailable("ip -n " + name + " link set lo up failed: " + loopback.output());
    }
    return namespace;
  }

  String name() {
    return name;
  }

  /**
   * Deletes the namespace's name; the namespace itself goes once no process is left in it (after stack.sh down, which
   * stops the instance and its bridges).
   */
  @Override
  public void close() {
    Result delete = run(List.of("ip", "netns", "del", name));
    if (delete.exitCode() != 0) {
      throw new IllegalStateException("ip netns del " + name + " failed: " + delete.output());
    }
  }

  private record Result(int exitCode, String output) {}

  private static Result run(List<String> command) {
    try {
      Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
      process.getOutputStream().close();
      String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        return new Result(-1, String.join(" ", command) + " did not finish in 30 s");
      }
      return new Result(process.exitValue(), output);
    } catch (IOException e) {
      return new Result(-1, e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Result(-1, "interrupted");
    }
  }
}
