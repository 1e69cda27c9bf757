package dev.cascade.dnssec.keys;

/**
 * A key file that cannot be used. The message is {@code "<file>:<line>: <reason>"} (or
 * {@code "<file>: <reason>"} when no single line is at fault), like a zone input error, so an operator
 * can go straight to the offending line. Never carries private key material.
 */
public final class KeyFileException extends Exception {
  private static final long serialVersionUID = 1L;

  private final String file;
  private final Integer line;
  private final String reason;

  /**
   * @param file the key file
   * @param line 1-based line at fault, or null when the file as a whole is at fault
   * @param reason what is wrong, without file or line
   */
  public KeyFileException(String file, Integer line, String reason) {
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
