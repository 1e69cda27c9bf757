package dev.cascade.service.messaging;

import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.smallrye.reactive.messaging.TracingMetadata;
import org.eclipse.microprofile.reactive.messaging.Message;

/**
 * Runs work inside the trace context of the message that caused it, so the events emitted on a worker thread join
 * the incoming message's trace: one trace follows a zone version through the services.
 */
final class Traced {

  private Traced() {}

  static void within(Message<?> cause, Runnable work) {
    Context context =
        TracingMetadata.fromMessage(cause)
            .map(TracingMetadata::getCurrentContext)
            .orElse(null);
    try (Scope ignored = (context == null ? Context.current() : context).makeCurrent()) {
      work.run();
    }
  }
}
