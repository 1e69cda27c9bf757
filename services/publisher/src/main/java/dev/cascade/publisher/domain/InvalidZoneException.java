package dev.cascade.publisher.domain;

/** A zone version that cannot be served (no SOA at the apex, records outside the zone, ...). */
public final class InvalidZoneException extends Exception {

  public InvalidZoneException(String message) {
    super(message);
  }
}
