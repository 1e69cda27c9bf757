package dev.cascade.publisher.domain;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The last failure per zone (a version that could not be read, checked or served), kept for the status view. The
 * failed version is never served; the last good one stays.
 */
public final class PublicationFailures {

  /**
   * One failure.
   *
   * @param zone the apex
   * @param versionId the version that failed
   * @param stage what the publisher was doing: unsigned-review, signed-review, publication or restore
   * @param reason what went wrong
   * @param at when
   */
  public record Failure(String zone, String versionId, String stage, String reason, Instant at) {}

  private final Map<String, Failure> lastByZone = new ConcurrentHashMap<>();

  public void record(Failure failure) {
    lastByZone.put(failure.zone(), failure);
  }

  public Optional<Failure> last(String zone) {
    return Optional.ofNullable(lastByZone.get(zone));
  }

  public Map<String, Failure> all() {
    return Map.copyOf(lastByZone);
  }

  public void forget(String zone) {
    lastByZone.remove(zone);
  }
}
