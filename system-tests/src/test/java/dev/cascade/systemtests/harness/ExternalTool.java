package dev.cascade.systemtests.harness;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs an independent DNSSEC checker (BIND's {@code dnssec-verify}, ldns' {@code ldns-verify-zone}) on a file. A
 * missing tool is a failure, not a skip: the verdict of a second implementation is the point of the check.
 */
public final class ExternalTool {

  private ExternalTool() {}

  /** The tool's exit code and combined output. */
  public record Outcome(int exitCode, String output) {}

  public static Outcome run(String... command) {
    try {
      Process process = new ProcessBuilder(List.of(command)).redirectErrorStream(true).start();
      process.getOutputStream().close();
      String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!process.waitFor(120, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new AssertionError(command[0] + " did not finish within 120 s");
      }
      return new Outcome(process.exitValue(), output);
    } catch (IOException e) {
      throw new AssertionError(
          command[0] + " is not installed (Debian: apt-get install -y bind9-utils ldnsutils): " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted running " + command[0], e);
    }
  }
}
