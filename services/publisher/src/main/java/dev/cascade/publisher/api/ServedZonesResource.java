package dev.cascade.publisher.api;

import dev.cascade.publisher.dns.DnsListeners;
import dev.cascade.publisher.dns.Notifier;
import dev.cascade.publisher.domain.PublicationFailures;
import dev.cascade.publisher.domain.SecondaryFetches;
import dev.cascade.publisher.domain.ServedZones;
import dev.cascade.publisher.domain.ZoneSnapshot;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * Read-only view of what each DNS server serves, of the last failure per zone, of the latest NOTIFY of each zone
 * to each secondary, and of what each secondary fetched (for operators and tests).
 */
@Path("/zones")
@Produces(MediaType.APPLICATION_JSON)
public class ServedZonesResource {

  /**
   * One served zone version.
   *
   * @param zone the apex
   * @param versionId the version served
   * @param serial its SOA serial
   * @param records its record count
   */
  public record Served(String zone, String versionId, long serial, int records) {}

  /**
   * The whole view.
   *
   * @param unsignedReview versions on the unsigned-review server
   * @param signedReview versions on the signed-review server
   * @param publication versions on the publication server
   * @param failures the last failure per zone
   * @param notifies the latest NOTIFY of each published zone to each {@code send-notify-to} secondary
   * @param secondaries what each secondary has of each published zone, as its queries show it
   */
  public record View(
      List<Served> unsignedReview,
      List<Served> signedReview,
      List<Served> publication,
      Map<String, PublicationFailures.Failure> failures,
      List<Notifier.Outcome> notifies,
      List<SecondaryFetches.Fetch> secondaries) {}

  private final DnsListeners listeners;
  private final PublicationFailures failures;
  private final Notifier notifier;

  public ServedZonesResource(DnsListeners listeners, PublicationFailures failures, Notifier notifier) {
    this.listeners = listeners;
    this.failures = failures;
    this.notifier = notifier;
  }

  @GET
  public View view() {
    return new View(
        served(listeners.unsignedReview()),
        served(listeners.signedReview()),
        served(listeners.publication()),
        failures.all(),
        notifier.outcomes(),
        listeners.secondaries().all());
  }

  private static List<Served> served(ServedZones zones) {
    return zones.all().stream()
        .sorted(Comparator.comparing((ZoneSnapshot s) -> s.origin()))
        .map(s -> new Served(s.origin().toString(), s.versionId(), s.serial(), s.size()))
        .toList();
  }
}
