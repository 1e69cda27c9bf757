package dev.cascade.dnssec.keys;

import dev.cascade.dnssec.InputFileException;

/** A BIND key file ({@code .key} or {@code .private}) that cannot be used. */
public final class KeyFileException extends InputFileException {
  private static final long serialVersionUID = 1L;

  public KeyFileException(String file, Integer line, String reason) {
    super(file, line, reason);
  }
}
