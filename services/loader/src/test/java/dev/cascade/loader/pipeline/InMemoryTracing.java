package dev.cascade.loader.pipeline;

import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/**
 * Keeps the spans the loader ends in memory, so a test can see the trace a zone version follows. Quarkus takes
 * a {@code SpanExporter} bean as its exporter (stack-notes §3).
 */
@ApplicationScoped
class InMemoryTracing {

  @Produces
  @Singleton
  InMemorySpanExporter inMemorySpanExporter() {
    return InMemorySpanExporter.create();
  }
}
