package dev.cascade.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * JSON over HTTP to the operator API. Any answer that is not 2xx becomes a {@link CliException} carrying the API's
 * {@code {"error": …}} message, so the operator sees the server's own explanation.
 *
 * <p>{@link HttpURLConnection} rather than {@code java.net.http.HttpClient}: the latter sets up TLS and its own
 * executor even for a plain http:// request, which took about 0.7 of the 1.3 s a {@code cascade zone reload} ran on
 * the development machine (2 cores), for one request per run.
 */
public final class ApiClient {

  /** The reference CLI's HTTP client timeout (cascade-reference.md §3.1). */
  static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);

  private static final ObjectMapper JSON = new ObjectMapper();

  /** No reference value: on loopback a connect succeeds at once or the service is down, so fail fast. */
  static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);

  /**
   * Sent with every request: the operator API refuses a change that has neither it nor a JSON body, which a web page
   * cannot send to another site (review-gateway's CrossSiteGuard).
   */
  static final String CLIENT_HEADER = "X-Cascade-Client";

  private final URI base;
  private final String token;

  /**
   * {@code server} is {@code host:port} (as {@code -s}/{@code CASCADE_DAEMON}) or a full http:// URL; {@code token}
   * is sent as a bearer token (RFC 6750 §2.1), none if null.
   */
  public ApiClient(String server, String token) {
    this.base = baseUri(server);
    this.token = token;
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
      throw new CliException.Usage("invalid server address '" + server + "' (expected IP:PORT)");
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
    return send("GET", path, null);
  }

  public JsonNode post(String path, Object body) {
    String text;
    try {
      text = body == null ? "" : JSON.writeValueAsString(body);
    } catch (IOException e) {
      throw new CliException("cannot encode request: " + e.getMessage(), e);
    }
    return send("POST", path, text.getBytes(StandardCharsets.UTF_8));
  }

  private JsonNode send(String method, String path, byte[] body) {
    int status;
    String text;
    try {
      HttpURLConnection connection = (HttpURLConnection) base.resolve(path).toURL().openConnection();
      connection.setConnectTimeout((int) CONNECT_TIMEOUT.toMillis());
      connection.setReadTimeout((int) REQUEST_TIMEOUT.toMillis());
      connection.setRequestMethod(method);
      connection.setRequestProperty("Accept", "application/json");
      connection.setRequestProperty(CLIENT_HEADER, "cascade-cli");
      if (token != null) {
        connection.setRequestProperty("Authorization", "Bearer " + token);
      }
      if (body != null) {
        connection.setDoOutput(true);
        connection.setRequestProperty("Content-Type", "application/json");
        try (OutputStream out = connection.getOutputStream()) {
          out.write(body);
        }
      }
      status = connection.getResponseCode();
      try (InputStream in = status / 100 == 2 ? connection.getInputStream() : connection.getErrorStream()) {
        text = in == null ? null : new String(in.readAllBytes(), StandardCharsets.UTF_8);
      }
    } catch (IOException e) {
      String why = e instanceof java.net.ConnectException ? "connection refused"
          : e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
      throw new CliException("cannot reach the Cascade operator API at " + base + ": " + why, e);
    }
    JsonNode parsed = parse(text);
    if (status / 100 != 2) {
      if (parsed != null && parsed.hasNonNull("error")) {
        throw new CliException(parsed.get("error").asText());
      }
      throw new CliException("the operator API answered HTTP " + status);
    }
    if (parsed == null) {
      throw new CliException("the operator API answered with something that is not JSON");
    }
    return parsed;
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
