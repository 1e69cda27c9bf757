package dev.cascade.signer.pipeline;

import dev.cascade.events.Topics;
import dev.cascade.events.v1.SignedVersionFact;
import dev.cascade.service.kafka.FencedWriteException;
import dev.cascade.service.messaging.FactTransactions;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Writes SignedVersionFact events to cascade.signed-versions.v1, keyed by zone apex, in the caller's trace context,
 * each in a Kafka transaction of its own ({@link FactTransactions}, issue 9): fenced by the consumer group membership
 * of the event being handled, so an instance whose zones went to another replica (a zombie) announces nothing, and
 * committed before it returns, so the signer marks a version done only after its fact is on the bus.
 */
@ApplicationScoped
public class SignedVersionEmitter {

  private final FactTransactions transactions;

  public SignedVersionEmitter(FactTransactions transactions) {
    this.transactions = transactions;
  }

  /**
   * @throws FencedWriteException when this instance, or the event it handles, was fenced: the fact is aborted and
   *     must not be recorded
   */
  void send(SignedVersionFact fact) {
    transactions.write(Topics.SIGNED_VERSIONS, fact.getZone(), fact);
  }
}
