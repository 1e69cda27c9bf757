package dev.cascade.systemtests.harness;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.stream.Collectors;
import java.util.zip.GZIPInputStream;

/**
 * An OTLP/HTTP trace receiver (OTLP specification, "OTLP/HTTP", binary protobuf encoding): the services export their
 * spans to it as to a collector ({@code quarkus.otel.exporter.otlp.traces.protocol=http/protobuf}), and it keeps them
 * in memory, decoded, for the tests to look at. Every POST is taken as an {@code ExportTraceServiceRequest},
 * whatever its path (the exporter posts to {@code /v1/traces}), and answered with an empty success.
 */
public final class TraceReceiver implements AutoCloseable {

  /**
   * At most this many spans are kept, the first ones: the whole run of the end-to-end tests ends some ten thousand,
   * and a span kept costs a few hundred octets; no official reference.
   */
  private static final int MAX_SPANS = 500_000;

  /** One span as received: the service that ended it, and what a test asks about. */
  public record ReceivedSpan(
      String service, String traceId, String spanId, String parentSpanId, String name, Map<String, String> attributes,
      List<String> linkedTraceIds) {}

  private final HttpServer server;
  private final ConcurrentLinkedQueue<ReceivedSpan> spans = new ConcurrentLinkedQueue<>();

  private TraceReceiver(HttpServer server) {
    this.server = server;
  }

  /** Listens on a free loopback port. */
  public static TraceReceiver start() {
    try {
      HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
      TraceReceiver receiver = new TraceReceiver(server);
      server.createContext("/", receiver::export);
      server.start();
      return receiver;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start the trace receiver", e);
    }
  }

  /** The base URL to give as the OTLP traces endpoint. */
  public String endpoint() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  /** Every span received so far. */
  public List<ReceivedSpan> spans() {
    return List.copyOf(spans);
  }

  private void export(HttpExchange exchange) throws IOException {
    try (exchange) {
      if (!"POST".equals(exchange.getRequestMethod())) {
        exchange.sendResponseHeaders(405, -1);
        return;
      }
      InputStream body = exchange.getRequestBody();
      if ("gzip".equalsIgnoreCase(exchange.getRequestHeaders().getFirst("Content-Encoding"))) {
        body = new GZIPInputStream(body);
      }
      keep(ExportTraceServiceRequest.parseFrom(body));
      byte[] answer = ExportTraceServiceResponse.getDefaultInstance().toByteArray();
      exchange.getResponseHeaders().add("Content-Type", "application/x-protobuf");
      exchange.sendResponseHeaders(200, answer.length == 0 ? -1 : answer.length);
      exchange.getResponseBody().write(answer);
    }
  }

  private void keep(ExportTraceServiceRequest request) {
    HexFormat hex = HexFormat.of();
    for (ResourceSpans resourceSpans : request.getResourceSpansList()) {
      String service = attributes(resourceSpans.getResource()).get("service.name");
      for (ScopeSpans scopeSpans : resourceSpans.getScopeSpansList()) {
        for (io.opentelemetry.proto.trace.v1.Span span : scopeSpans.getSpansList()) {
          if (spans.size() >= MAX_SPANS) {
            return;
          }
          spans.add(new ReceivedSpan(
              service,
              hex.formatHex(span.getTraceId().toByteArray()),
              hex.formatHex(span.getSpanId().toByteArray()),
              hex.formatHex(span.getParentSpanId().toByteArray()),
              span.getName(),
              attributes(span.getAttributesList()),
              span.getLinksList().stream().map(link -> hex.formatHex(link.getTraceId().toByteArray())).toList()));
        }
      }
    }
  }

  private static Map<String, String> attributes(Resource resource) {
    return attributes(resource.getAttributesList());
  }

  /** Attribute values as text: strings as they are, integers in decimal. */
  private static Map<String, String> attributes(List<KeyValue> attributes) {
    return attributes.stream()
        .collect(Collectors.toMap(KeyValue::getKey, kv -> text(kv.getValue()), (first, second) -> second));
  }

  private static String text(AnyValue value) {
    return switch (value.getValueCase()) {
      case STRING_VALUE -> value.getStringValue();
      case INT_VALUE -> Long.toString(value.getIntValue());
      case BOOL_VALUE -> Boolean.toString(value.getBoolValue());
      case DOUBLE_VALUE -> Double.toString(value.getDoubleValue());
      default -> value.toString();
    };
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
