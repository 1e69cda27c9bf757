package dev.cascade.reviewgateway.domain;

/** A policy file that cannot be used; the message always names the file so the operator knows what to fix. */
public final class PolicyException extends Exception {

  public PolicyException(String message) {
    super(message);
  }

  public PolicyException(String message, Throwable cause) {
    super(message, cause);
  }
}
