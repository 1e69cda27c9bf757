package dev.cascade.systemtests.harness;

import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import org.awaitility.core.ConditionTimeoutException;

/**
 * What an operator does with the CLI, with the waiting an operator does by re-running {@code zone status}. Every
 * wait fails with the last status text and the command that timed out, so a failure says where the pipeline stopped.
 */
public final class Operator {

  /** Load, sign (a few hundred records) and publish take seconds; a restarted service may need a minute on 2 cores. */
  public static final Duration PIPELINE_TIMEOUT = Duration.ofSeconds(120);

  private final Cli cli;

  public Operator(Stack stack) {
    this.cli = stack.cli();
  }

  public Cli cli() {
    return cli;
  }

  public CliResult addZone(String zone, Path source, String policy) {
    return cli.ok("zone", "add", zone, "--source", source.toString(), "--policy", policy);
  }

  public CliResult reload(String zone) {
    return cli.ok("zone", "reload", zone);
  }

  public ZoneStatusView status(String zone) {
    return new ZoneStatusView(cli.ok("zone", "status", zone).stdout());
  }

  public String history(String zone) {
    return cli.ok("zone", "history", zone).stdout();
  }

  /** Re-runs {@code zone status} until {@code condition} holds and returns that status. */
  public ZoneStatusView awaitStatus(String zone, String what, Predicate<ZoneStatusView> condition) {
    AtomicReference<String> last = new AtomicReference<>("(no answer yet)");
    try {
      return await(zone + ": " + what)
          .atMost(PIPELINE_TIMEOUT)
          .pollDelay(Duration.ZERO)
          .pollInterval(Duration.ofMillis(700))
          .until(
              () -> {
                CliResult result = cli.run("zone", "status", zone);
                last.set(result.toString());
                return result.ok() ? new ZoneStatusView(result.stdout()) : null;
              },
              status -> status != null && condition.test(status));
    } catch (ConditionTimeoutException e) {
      throw new AssertionError(
          "timed out waiting for " + zone + ": " + what + "\nlast `zone status`:\n" + last.get(), e);
    }
  }

  /** Until the publication server's version, as {@code zone status} reports it, has a signed serial above {@code after}. */
  public ZoneStatusView awaitPublishedAfter(String zone, long after) {
    return awaitStatus(
        zone,
        "a published signed serial above " + after,
        status -> status.publishedSignedSerial().isPresent()
            && status.publishedSignedSerial().getAsLong() > after);
  }

  /** Until some version of the zone is published. */
  public ZoneStatusView awaitPublished(String zone) {
    return awaitStatus(zone, "a published version", status -> status.publishedSignedSerial().isPresent());
  }
}
