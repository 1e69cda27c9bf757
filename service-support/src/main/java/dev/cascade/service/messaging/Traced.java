package dev.cascade.service.messaging;

import dev.cascade.service.tracing.ZoneSpans;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.smallrye.reactive.messaging.TracingMetadata;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Message;

/**
 * Runs work inside the trace context of the message that caused it, so the events emitted on a worker thread join
 * the incoming message's trace: one trace follows a zone version through the services. The work is a span
 * {@code <topic> process} (OpenTelemetry messaging conventions) about the zone version the record names
 * ({@link ZoneSpans#of}): the connector's own consumer span ends as the record is received, before any work, and
 * cannot carry it. The spans the work starts inherit the version.
 */
final class Traced {

  private Traced() {}

  static void within(Tracer tracer, Message<?> cause, Runnable work) {
    Context context =
        TracingMetadata.fromMessage(cause)
            .map(TracingMetadata::getCurrentContext)
            .orElse(null);
    ConsumerRecord<String, ?> record = EventHandling.record(cause);
    ZoneSpans.within(context == null ? ZoneSpans.context() : context, () ->
        ZoneSpans.inSpan(tracer, record.topic() + " process", ZoneSpans.of(record.key(), cause.getPayload()), work));
  }
}
