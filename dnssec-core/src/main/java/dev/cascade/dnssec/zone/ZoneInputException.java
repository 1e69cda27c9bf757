package dev.cascade.dnssec.zone;

/**
 * A zone file that cannot be accepted: a syntax error or a failed input check. The message is
 * {@code "<file>:<line>: <reason>"} (or {@code "<file>: <reason>"} when no single line is at fault,
 * e.g. a missing SOA), so an operator can go straight to the offending record.
 */
public final class ZoneInputException extends Exception {
  private static final long serialVersionUID = 1L;

  private final String file;
  private final Integer line;
  private final String reason;

  /**
   * @param file the file holding the offending record (the zone file or an included file)
   * @param line 1-based line of the offending record, or null when the problem concerns the whole zone
   * @param reason what is wrong, without file or line
   */
  public ZoneInputException(String file, Integer line, String reason) {
    super(line == null ? file + ": " + reason : file + ":" + line + ": " + reason);
    this.file = file;
    this.line = line;
    this.reason = reason;
  }

  public String file() {
    return file;
  }

  /** 1-based line number, or null when the problem concerns the zone as a whole. */
  public Integer line() {
    return line;
  }

  public String reason() {
    return reason;
  }
}
