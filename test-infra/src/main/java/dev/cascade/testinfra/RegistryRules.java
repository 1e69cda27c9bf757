package dev.cascade.testinfra;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/**
 * The registry's global compatibility rule, FULL_TRANSITIVE (issue 9: the schema contract is enforced by the registry
 * itself): a new version of an event schema must be readable by every older reader and read every older record, not
 * only the previous version's, since a replay reads the log from its first record. Set on every registry a test
 * starts, as {@code deploy/local/stack.sh}, compose and the chart set it on theirs.
 */
public final class RegistryRules {

  /** The rule's value in Apicurio's API. */
  public static final String FULL_TRANSITIVE = "FULL_TRANSITIVE";

  private static final HttpClient HTTP = HttpClient.newHttpClient();

  private RegistryRules() {}

  /**
   * Creates the global COMPATIBILITY rule, or updates it when the registry already has one.
   *
   * @param v2Url the registry's v2 API base, {@code http://host:port/apis/registry/v2}
   */
  public static void requireFullTransitive(String v2Url) {
    String rule = "{\"type\":\"COMPATIBILITY\",\"config\":\"" + FULL_TRANSITIVE + "\"}";
    HttpResponse<String> created = send(HttpRequest.newBuilder(URI.create(v2Url + "/admin/rules"))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(rule))
        .build());
    if (created.statusCode() == 409) {
      created = send(HttpRequest.newBuilder(URI.create(v2Url + "/admin/rules/COMPATIBILITY"))
          .header("Content-Type", "application/json")
          .PUT(HttpRequest.BodyPublishers.ofString(rule))
          .build());
    }
    if (created.statusCode() / 100 != 2) {
      throw new IllegalStateException(
          "the registry at " + v2Url + " refused the global FULL_TRANSITIVE rule: HTTP " + created.statusCode() + " "
              + created.body());
    }
  }

  private static HttpResponse<String> send(HttpRequest request) {
    try {
      return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot reach the registry at " + request.uri(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while setting the registry's rule", e);
    }
  }
}
