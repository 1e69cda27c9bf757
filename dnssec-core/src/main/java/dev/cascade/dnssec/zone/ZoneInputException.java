package dev.cascade.dnssec.zone;

import dev.cascade.dnssec.InputFileException;

/**
 * A zone file that cannot be accepted: a syntax error or a failed input check. The line is null when the
 * problem concerns the whole zone, e.g. a missing SOA.
 */
public final class ZoneInputException extends InputFileException {
  private static final long serialVersionUID = 1L;

  public ZoneInputException(String file, Integer line, String reason) {
    super(file, line, reason);
  }
}
