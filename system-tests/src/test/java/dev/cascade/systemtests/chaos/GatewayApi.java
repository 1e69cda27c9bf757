package dev.cascade.systemtests.chaos;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The operator API of every review-gateway replica (port 4539 + 100 × (i − 1)), as the CLI calls it. A request goes
 * to the first replica that answers, as a load balancer in front of them would send it: a killed replica must not
 * stop the operator.
 */
final class GatewayApi {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private final List<String> bases = new ArrayList<>();
  private final String token;

  /** {@code token}: the stack's operator API token (HaStack#apiToken), sent with every request. */
  GatewayApi(int replicas, String token) {
    this.token = token;
    for (int i = 1; i <= replicas; i++) {
      bases.add("http://127.0.0.1:" + HaStack.port(4539, i));
    }
  }

  void addZone(String zone, String source, String policy) {
    post("/zone/add", JSON.valueToTree(Map.of("name", zone, "source", source, "policy", policy)).toString());
  }

  void reload(String zone) {
    post("/zone/" + zone + "/reload", "");
  }

  /** {@code stage} is "unsigned" or "signed". */
  void approve(String zone, String stage, long serial) {
    post("/zone/" + zone + "/" + stage + "/" + serial + "/approve", "");
  }

  JsonNode status(String zone) {
    return send(HttpRequest.newBuilder().GET(), "/zone/" + zone + "/status");
  }

  private JsonNode post(String path, String body) {
    return send(HttpRequest.newBuilder().header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body)), path);
  }

  private JsonNode send(HttpRequest.Builder request, String path) {
    List<String> failures = new ArrayList<>();
    for (String base : bases) {
      try {
        HttpResponse<String> response = http.send(
            request.copy().uri(URI.create(base + path)).header("Authorization", "Bearer " + token)
                .timeout(Duration.ofSeconds(10)).build(),
            HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() / 100 == 2) {
          return response.body().isEmpty() ? JSON.nullNode() : JSON.readTree(response.body());
        }
        failures.add(base + ": HTTP " + response.statusCode() + " " + response.body());
      } catch (IOException e) {
        failures.add(base + ": " + e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted calling " + path, e);
      }
    }
    throw new IllegalStateException(path + " failed on every gateway replica: " + failures);
  }
}
