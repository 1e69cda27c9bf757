package dev.cascade.dnssec.roll;

/** A roll step that does not fit the key set's state: out of order, too early, or keys that do not fit the roll. */
public class RollStepException extends Exception {

  public RollStepException(String message) {
    super(message);
  }
}
