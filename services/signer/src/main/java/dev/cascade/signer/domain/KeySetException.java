package dev.cascade.signer.domain;

/** A key set that cannot be used for signing; the message is safe to log and to put on the bus. */
public final class KeySetException extends Exception {

  public KeySetException(String message) {
    super(message);
  }
}
