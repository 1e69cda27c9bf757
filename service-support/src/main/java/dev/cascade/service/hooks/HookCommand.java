package dev.cascade.service.hooks;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs an operator's hook command (the keymanager's {@code ds-submit-hook}, review-gateway's review hooks):
 * {@code sh -c <command>}, as the reference runs its hooks (cascade-reference.md §2), with what it is about in its
 * environment, no standard input, its standard output and error kept (the last {@link #OUTPUT_LIMIT} octets), and a
 * time limit after which it and every process it started are killed. Never throws: whatever happens becomes an
 * {@link Outcome}, so a broken hook cannot stop the service that runs it.
 */
public final class HookCommand {

  /** Output kept per run: enough for an error message or a registry's answer, small enough for an event. */
  public static final int OUTPUT_LIMIT = 4096;
  /** How long the output reader may go on once the hook ended or was killed; no official reference. */
  private static final Duration READER_GRACE = Duration.ofSeconds(2);

  /**
   * What a run came to.
   *
   * @param exitCode the hook's exit code; null when it did not finish (timed out, or could not start)
   * @param output its standard output and error, the last {@link #OUTPUT_LIMIT} octets
   * @param summary one line for operators
   */
  public record Outcome(Integer exitCode, String output, String summary) {
    public boolean succeeded() {
      return exitCode != null && exitCode == 0;
    }
  }

  private HookCommand() {}

  /**
   * Runs {@code command} with {@code environment} added to the service's own.
   *
   * @param timeout how long the hook may run
   */
  public static Outcome run(String command, Map<String, String> environment, Duration timeout) {
    ProcessBuilder builder = new ProcessBuilder("sh", "-c", command)
        .redirectErrorStream(true)
        .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
    builder.environment().putAll(environment);
    Process process;
    try {
      process = builder.start();
    } catch (IOException e) {
      return new Outcome(null, "", "could not start: " + e.getMessage());
    }
    TailBuffer tail = new TailBuffer(OUTPUT_LIMIT);
    Thread reader = new Thread(() -> tail.readAll(process.getInputStream()), "hook-output");
    reader.setDaemon(true);
    reader.start();
    try {
      boolean finished = process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
      if (!finished) {
        kill(process);
      }
      reader.join(READER_GRACE.toMillis());
      if (!finished) {
        return new Outcome(null, tail.text(), "timed out after " + timeout.toSeconds() + " s and was killed");
      }
      int code = process.exitValue();
      return new Outcome(code, tail.text(), "exited " + code);
    } catch (InterruptedException e) {
      kill(process);
      Thread.currentThread().interrupt();
      return new Outcome(null, tail.text(), "interrupted and killed");
    }
  }

  /**
   * Kills the hook and what it started: {@code sh -c} may leave a child holding the output pipe open. The shell goes
   * first, its descendants (listed before) after: a shell that saw its child killed would report "Killed" into the
   * output before its own end.
   */
  private static void kill(Process process) {
    List<ProcessHandle> descendants = process.descendants().toList();
    process.destroyForcibly();
    descendants.forEach(ProcessHandle::destroyForcibly);
  }

  /** The last octets of a stream. */
  private static final class TailBuffer {
    private final byte[] buffer;
    private long written;

    TailBuffer(int size) {
      buffer = new byte[size];
    }

    void readAll(InputStream in) {
      byte[] chunk = new byte[1024];
      try (in) {
        int n;
        while ((n = in.read(chunk)) > 0) {
          synchronized (this) {
            for (int i = 0; i < n; i++) {
              buffer[(int) (written++ % buffer.length)] = chunk[i];
            }
          }
        }
      } catch (IOException e) {
        // The process was killed and its pipe closed: what was read so far is the output.
      }
    }

    synchronized String text() {
      int size = (int) Math.min(written, buffer.length);
      byte[] out = new byte[size];
      for (int i = 0; i < size; i++) {
        out[i] = buffer[(int) ((written - size + i) % buffer.length)];
      }
      return new String(out, StandardCharsets.UTF_8);
    }
  }
}
