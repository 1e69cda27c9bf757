package dev.cascade.cli;

/** A failure to report to the operator as {@code ERROR: <message>} (exit status 1). */
public final class CliException extends RuntimeException {

  public CliException(String message) {
    super(message);
  }

  public CliException(String message, Throwable cause) {
    super(message, cause);
  }
}
