package dev.cascade.systemtests.harness;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** Runs the packaged CLI, {@code java -jar cli/target/cascade-cli.jar ...}, as an operator's shell would. */
public final class Cli {

  private final Path jar;
  private final Path workDirectory;
  private final String apiToken;

  /** {@code apiToken} goes to every run in CASCADE_TOKEN, as an operator's shell would hold it. */
  Cli(Path jar, Path workDirectory, String apiToken) {
    this.apiToken = apiToken;
    this.jar = jar;
    this.workDirectory = workDirectory;
  }

  /** One command, for example {@code run("zone", "status", "example.org")}; never throws on a non-zero exit. */
  public CliResult run(String... arguments) {
    List<String> command = new ArrayList<>();
    command.add(ChildProcesses.java());
    // A short-lived client: C1 only and the serial collector make each call start faster and use less CPU.
    command.add("-XX:TieredStopAtLevel=1");
    command.add("-XX:+UseSerialGC");
    command.add("-jar");
    command.add(jar.toString());
    command.addAll(List.of(arguments));
    try {
      ProcessBuilder builder = new ProcessBuilder(command).directory(workDirectory.toFile());
      builder.environment().put("CASCADE_TOKEN", apiToken);
      Process process = builder.start();
      process.getOutputStream().close();
      CompletableFuture<String> stdout = CompletableFuture.supplyAsync(() -> read(process.getInputStream()));
      CompletableFuture<String> stderr = CompletableFuture.supplyAsync(() -> read(process.getErrorStream()));
      if (!process.waitFor(90, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new IllegalStateException("CLI did not finish within 90 s: " + String.join(" ", arguments));
      }
      return new CliResult(process.exitValue(), stdout.join(), stderr.join());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot run the CLI " + jar, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted running the CLI", e);
    }
  }

  /** Like {@link #run}, but the command must succeed. */
  public CliResult ok(String... arguments) {
    CliResult result = run(arguments);
    if (!result.ok()) {
      throw new AssertionError("cascade " + String.join(" ", arguments) + " failed: " + result);
    }
    return result;
  }

  private static String read(InputStream stream) {
    try (stream) {
      return new String(stream.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
