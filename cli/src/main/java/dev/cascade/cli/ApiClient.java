package dev.cascade.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * JSON over HTTP to the operator API. Any answer that is not 2xx becomes a {@link CliException} carrying the API's
 * {@code {"error": …}} message, so the operator sees the server's own explanation.
 */
public final class ApiClient {

  /** The reference CLI's HTTP client timeout (cascade-reference.md §3.1). */
  static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);

  private static final ObjectMapper JSON = new ObjectMapper();

  private final URI base;
  private final HttpClient http;

  /** {@code server} is {@code host:port} (as {@code -s}/{@code CASCADE_DAEMON}) or a full http:// URL. */
  public ApiClient(String server) {
    this.base = baseUri(server);
    // No reference value: on loopback a connect succeeds at once or the service is down, so fail fast.
    this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  }

  static URI baseUri(String server) {
    String s = server.trim();
    String url = s.startsWith("http://") || s.startsWith("https://") ? s : "http://" + s;
    if (!url.endsWith("/")) {
      url += "/";
    }
    try {
      URI uri = URI.create(url);
      if (uri.getHost() == null) {
        throw new IllegalArgumentException("no host");
      }
      return uri;
    } catch (IllegalArgumentException e) {
      throw new CliException("invalid server address '" + server + "' (expected IP:PORT)");
    }
  }

  public URI base() {
    return base;
  }

  /** Encodes one path segment (a zone or policy name). */
  static String segment(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
  }

  public JsonNode get(String path) {
    return send(HttpRequest.newBuilder(base.resolve(path)).GET());
  }

  public JsonNode post(String path, Object body) {
    String text;
    try {
      text = body == null ? "" : JSON.writeValueAsString(body);
    } catch (IOException e) {
      throw new CliException("cannot encode request: " + e.getMessage(), e);
    }
    return send(HttpRequest.newBuilder(base.resolve(path))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(text)));
  }

  private JsonNode send(HttpRequest.Builder request) {
    HttpResponse<String> response;
    try {
      response = http.send(request.timeout(REQUEST_TIMEOUT).header("Accept", "application/json").build(),
          HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    } catch (IOException e) {
      String why = e instanceof java.net.ConnectException ? "connection refused"
          : e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
      throw new CliException("cannot reach the Cascade operator API at " + base + ": " + why, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CliException("interrupted", e);
    }
    JsonNode body = parse(response.body());
    if (response.statusCode() / 100 != 2) {
      if (body != null && body.hasNonNull("error")) {
        throw new CliException(body.get("error").asText());
      }
      throw new CliException("the operator API answered HTTP " + response.statusCode());
    }
    if (body == null) {
      throw new CliException("the operator API answered with something that is not JSON");
    }
    return body;
  }

  private static JsonNode parse(String text) {
    if (text == null || text.isBlank()) {
      return null;
    }
    try {
      return JSON.readTree(text);
    } catch (IOException e) {
      return null;
    }
  }
}
