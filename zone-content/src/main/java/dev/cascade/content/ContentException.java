package dev.cascade.content;

/** Zone content could not be written, or what was read back is incomplete or does not match its digest. */
public final class ContentException extends RuntimeException {
  public ContentException(String message) {
    super(message);
  }

  public ContentException(String message, Throwable cause) {
    super(message, cause);
  }
}
