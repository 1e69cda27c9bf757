package dev.cascade.service.messaging;

/**
 * A handler's refusal of an event that does not fit the state it finds, such as an operator's keyset command that the
 * key set has moved past: handling it again gives the same answer, so {@link EventHandling} sets it aside at once, with
 * the message as the reason the operator reads, instead of retrying it with backoff and holding up its partition.
 */
public class EventRefusedException extends RuntimeException {

  public EventRefusedException(String message, Throwable cause) {
    super(message, cause);
  }
}
