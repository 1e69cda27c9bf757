package dev.cascade.cli;

/**
 * A failure to report to the operator as {@code ERROR: <message>}: exit status 1, or 2 for a usage error (a command
 * line the command cannot take, as picocli's own parameter errors; clap, the reference CLI's parser, also exits 2).
 */
public class CliException extends RuntimeException {

  public CliException(String message) {
    super(message);
  }

  public CliException(String message, Throwable cause) {
    super(message, cause);
  }

  /** A command line the command cannot take: exit status 2, with a pointer to {@code --help}. */
  public static final class Usage extends CliException {

    public Usage(String message) {
      super(message);
    }

    public Usage(String message, Throwable cause) {
      super(message, cause);
    }
  }
}
