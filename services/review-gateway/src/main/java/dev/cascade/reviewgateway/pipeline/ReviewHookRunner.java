package dev.cascade.reviewgateway.pipeline;

import dev.cascade.reviewgateway.config.ServerAddresses;
import dev.cascade.reviewgateway.domain.GateStage;
import dev.cascade.reviewgateway.domain.ReviewHookDue;
import dev.cascade.reviewgateway.domain.ZoneProjector;
import dev.cascade.reviewgateway.domain.ZoneState;
import dev.cascade.service.hooks.HookCommand;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Runs the review hooks of the gates whose mode is {@code script} (cascade-reference.md §2): {@code sh -c <hook>} with
 * the reference's five variables, which name the review server that serves the version; exit code 0 approves, any
 * other rejects, and so does a hook that cannot start or outlives {@code cascade.review-hook-timeout} (the reference
 * has no limit; issue 13 asks that a hanging hook be stopped). The decision is a {@code ZoneVersionReviewed} with
 * reviewer {@value ReviewHookDue#REVIEWER} and the hook's outcome as its note, so {@code zone history} keeps the
 * output.
 *
 * <p>Each hook runs on a thread of its own, never on the consumer's: a review may take minutes. The projector starts a
 * version's hook once ({@link ReviewHookDue}); a hook that was running when the service stopped is started again by
 * {@link #resume}, after the rebuild, for every version still waiting at a script gate. A decision that comes after
 * the version was decided otherwise (a person, a second run) only adds its line to history.
 */
@ApplicationScoped
public class ReviewHookRunner {

  /** How much of a hook's output its note keeps: the end, where an error usually is; no official reference. */
  static final int NOTE_OUTPUT = 1000;
  private static final Logger LOG = Logger.getLogger(ReviewHookRunner.class);

  private final OperatorEvents events;
  private final ServerAddresses addresses;
  private final Duration timeout;
  private final ExecutorService threads = Executors.newCachedThreadPool(task -> {
    Thread thread = new Thread(task, "review-hook");
    thread.setDaemon(true);
    return thread;
  });

  public ReviewHookRunner(
      OperatorEvents events, ServerAddresses addresses,
      @ConfigProperty(name = "cascade.review-hook-timeout") Duration timeout) {
    this.events = events;
    this.addresses = addresses;
    this.timeout = timeout;
  }

  /** Starts {@code due}'s hook; its decision is sent when it ends. */
  public void start(ReviewHookDue due) {
    threads.execute(() -> run(due));
  }

  /** Starts the hook of every version waiting at a gate whose mode is {@code script}. */
  void resume(List<ZoneState> zones) {
    zones.forEach(zone -> ZoneProjector.waitingHooks(zone).forEach(this::start));
  }

  private void run(ReviewHookDue due) {
    List<String> servers = due.stage() == GateStage.UNSIGNED ? addresses.unsignedReview() : addresses.signedReview();
    String stage = due.stage().name().toLowerCase(Locale.ROOT);
    LOG.infof("zone %s: running the %s review hook for serial %d", due.zone(), stage, due.serial());
    HookCommand.Outcome outcome = HookCommand.run(due.hook(), due.environment(servers.get(0)), timeout);
    if (Thread.currentThread().isInterrupted()) {
      // The service is stopping: no decision, so the next start runs the hook again (resume).
      LOG.infof("zone %s: %s review hook for serial %d stopped with the service", due.zone(), stage, due.serial());
      return;
    }
    String output = outcome.output().strip();
    String note = "hook " + outcome.summary() + (output.isEmpty() ? ""
        : "; output: " + (output.length() > NOTE_OUTPUT ? "…" + output.substring(output.length() - NOTE_OUTPUT)
            : output));
    LOG.infof("zone %s: %s review hook for serial %d %s", due.zone(), stage, due.serial(), outcome.summary());
    try {
      events.reviewed(UUID.randomUUID().toString(), null, due.zone(), due.stage(), due.versionId(), due.serial(),
          due.contentDigest(), outcome.succeeded(), ReviewHookDue.REVIEWER, note)
          .await().atMost(Duration.ofMinutes(1));
    } catch (RuntimeException e) {
      // Kafka would not take the decision: the version waits, as under manual review, and the next start runs the
      // hook again; a person can decide meanwhile.
      LOG.errorf(e, "zone %s: the %s review hook's decision for serial %d could not be sent", due.zone(), stage,
          due.serial());
    }
  }

  @PreDestroy
  void stop() {
    threads.shutdownNow();
  }
}
