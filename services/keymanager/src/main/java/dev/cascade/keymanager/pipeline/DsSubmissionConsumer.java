package dev.cascade.keymanager.pipeline;

import dev.cascade.events.EventMetadataFactory;
import dev.cascade.events.Topics;
import dev.cascade.events.v1.DsSubmissionFact;
import dev.cascade.events.v1.DsSubmissionHookCompleted;
import dev.cascade.events.v1.ParentDsChangeRequested;
import dev.cascade.keymanager.persistence.KeyManagerStore;
import dev.cascade.service.hooks.HookCommand;
import dev.cascade.service.messaging.EventHandling;
import dev.cascade.service.messaging.FactTransactions;
import io.smallrye.common.annotation.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

/**
 * Runs the policy's DS submission hook for each ParentDsChangeRequested, which the key manager writes itself with the
 * key set it follows from ({@link KeySetEmitter}), and writes what the hook made of it as DsSubmissionHookCompleted.
 *
 * <p>The hook runs on this channel's own worker thread, never in the key set's transaction or the roll timer's:
 * a failing or hanging hook (killed after {@code cascade.keymanager.ds-submit-hook-timeout}) delays the next
 * request's hook, nothing else. Each request's hook runs at least once: the request is marked processed and the
 * group's offset moved past it ({@link EventHandling#exactlyOnce}) only after its outcome was written, so a
 * key manager that stops in between runs the hook again for the same request when it, or the partition's new owner,
 * reads it again. A hook must therefore take the same DS RRset twice calmly; CASCADE_REQUEST_ID tells a repeat.
 */
@ApplicationScoped
public class DsSubmissionConsumer {

  private static final Logger LOG = Logger.getLogger(DsSubmissionConsumer.class);

  private final EventHandling handling;
  private final FactTransactions transactions;
  private final KeyManagerStore state;
  private final Duration timeout;
  private final String producer;

  public DsSubmissionConsumer(
      EventHandling handling, FactTransactions transactions, KeyManagerStore state,
      @ConfigProperty(name = "cascade.keymanager.ds-submit-hook-timeout") Duration timeout,
      @ConfigProperty(name = "quarkus.application.name") String producer) {
    this.handling = handling;
    this.transactions = transactions;
    this.state = state;
    this.timeout = timeout;
    this.producer = producer;
  }

  @Incoming(Channels.DS_SUBMISSIONS)
  @Blocking
  public CompletionStage<Void> onDsSubmission(Message<DsSubmissionFact> message) {
    return handling.exactlyOnce(message, () -> handle(message.getPayload()));
  }

  void handle(DsSubmissionFact fact) {
    String eventId = fact.getMetadata().getEventId();
    if (!(fact.getFact() instanceof ParentDsChangeRequested requested) || requested.getHook() == null
        || state.alreadyProcessed(eventId)) {
      return;
    }
    String zone = fact.getZone();
    HookCommand.Outcome outcome = HookCommand.run(requested.getHook(), environment(zone, eventId, requested),
        timeout);
    LOG.logf(outcome.succeeded() ? Logger.Level.INFO : Logger.Level.WARN,
        "zone %s: DS submission hook %s for request %s", zone, outcome.summary(), eventId);
    transactions.write(Topics.DS_SUBMISSIONS, zone, new DsSubmissionFact(
        EventMetadataFactory.next(Clock.systemUTC(), producer, eventId), zone,
        new DsSubmissionHookCompleted(eventId, outcome.exitCode(), outcome.output(), outcome.summary())));
    state.markProcessed(eventId);
  }

  /** The hook's environment, as docs/operations.md lists it: records in zone-file text, one a line. */
  static Map<String, String> environment(String zone, String eventId, ParentDsChangeRequested requested) {
    return Map.of(
        "CASCADE_ZONE", zone,
        "CASCADE_PARENT", requested.getParent(),
        "CASCADE_DS", String.join("\n", requested.getDs()),
        "CASCADE_DS_ADD", String.join("\n", requested.getAdd()),
        "CASCADE_DS_REMOVE", String.join("\n", requested.getRemove()),
        "CASCADE_CAUSE", requested.getCause(),
        "CASCADE_REQUEST_ID", eventId);
  }
}
