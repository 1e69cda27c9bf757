package dev.cascade.dnssec;

/**
 * An operator's input file that cannot be used: the message is {@code "<file>:<line>: <reason>"} (or
 * {@code "<file>: <reason>"} when no single line is at fault), so an operator can go straight to the
 * offending line. Never carries private key material.
 */
public abstract class InputFileException extends Exception {
  private static final long serialVersionUID = 1L;

  private final String file;
  private final Integer line;
  private final String reason;

  /**
   * @param file the file at fault (for a zone, the zone file or an included file)
   * @param line 1-based line at fault, or null when the file as a whole is at fault
   * @param reason what is wrong, without file or line
   */
  protected InputFileException(String file, Integer line, String reason) {
    super(line == null ? file + ": " + reason : file + ":" + line + ": " + reason);
    this.file = file;
    this.line = line;
    this.reason = reason;
  }

  public String file() {
    return file;
  }

  /** 1-based line number, or null when the file as a whole is at fault. */
  public Integer line() {
    return line;
  }

  public String reason() {
    return reason;
  }
}
