package dev.cascade.testinfra.kafka;

import java.nio.charset.StandardCharsets;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;

/** W3C trace context on Kafka records: the {@code traceparent} header the services propagate. */
public final class TraceContext {

  /** Header name, from https://www.w3.org/TR/trace-context/#traceparent-header. */
  public static final String TRACEPARENT = "traceparent";

  private TraceContext() {}

  /** A {@code traceparent} header value with a fresh trace id (https://www.w3.org/TR/trace-context/#traceparent-header). */
  public static String newTraceparent() {
    String traceId = UUID.randomUUID().toString().replace("-", "");
    String spanId = UUID.randomUUID().toString().replace("-", "").substring(0, 16);
    return "00-" + traceId + "-" + spanId + "-01";
  }

  /** The trace-id field of a {@code traceparent} value (second of the four dash-separated fields). */
  public static String traceId(String traceparent) {
    return traceparent.split("-")[1];
  }

  /** The last value of header {@code name} as UTF-8 text, or null when the record has none. */
  public static String header(ConsumerRecord<?, ?> record, String name) {
    var header = record.headers().lastHeader(name);
    return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
  }

  /** A record keyed by zone apex, with a {@code traceparent} header when {@code traceparent} is not null. */
  public static <V> ProducerRecord<String, V> record(String topic, String zone, V value, String traceparent) {
    ProducerRecord<String, V> record = new ProducerRecord<>(topic, zone, value);
    if (traceparent != null) {
      record.headers().add(TRACEPARENT, traceparent.getBytes(StandardCharsets.UTF_8));
    }
    return record;
  }
}
