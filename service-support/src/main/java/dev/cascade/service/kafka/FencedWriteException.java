package dev.cascade.service.kafka;

/**
 * A transaction Kafka refused because the writer is a zombie (KIP-98 producer fencing, KIP-447 consumer-group
 * fencing): its facts were aborted and are never seen by a {@code read_committed} reader, and the caller must not
 * record them either. Not a failure to retry: the event belongs to another instance now, which handles it.
 */
public class FencedWriteException extends RuntimeException {

  /** Who was fenced. */
  public enum Fenced {
    /**
     * The whole instance: a newer producer with the same transactional.id started (KIP-98), so this process must
     * stop writing for good.
     */
    INSTANCE,
    /**
     * One consumed event: the consumer group moved on since it was polled (KIP-447), and its partition may be
     * another member's now; this instance goes on with the records its consumer is given from now on.
     */
    CONSUMED_EVENT
  }

  private final Fenced fenced;

  public FencedWriteException(Fenced fenced, String message, Throwable cause) {
    super(message, cause);
    this.fenced = fenced;
  }

  public Fenced fenced() {
    return fenced;
  }
}
