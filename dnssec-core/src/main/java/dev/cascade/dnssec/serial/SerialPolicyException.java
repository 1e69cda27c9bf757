package dev.cascade.dnssec.serial;

/** The serial policy cannot produce a serial, e.g. {@code keep} with an upstream serial that did not increase. */
public final class SerialPolicyException extends Exception {
  private static final long serialVersionUID = 1L;

  public SerialPolicyException(String message) {
    super(message);
  }
}
