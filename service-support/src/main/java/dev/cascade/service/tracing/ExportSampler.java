package dev.cascade.service.tracing;

import io.opentelemetry.sdk.trace.samplers.Sampler;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/**
 * Turns trace export on or off at run time ({@link TracingConfig}, {@code cascade.tracing.export}, from {@code OTEL_EXPORTER_ENABLED}).
 * Quarkus fixes {@code quarkus.otel.exporter.otlp.enabled} at build time, so a packaged service built with it off
 * could never export, whatever its environment said; the exporter is therefore always built in, and this sampler
 * (Quarkus uses a {@link Sampler} bean in place of {@code quarkus.otel.traces.sampler}) records nothing while export
 * is off. Spans are then created unsampled: trace ids still travel in the {@code traceparent} headers, nothing is
 * sent, and a laptop without a collector logs no export errors. On, it is Quarkus's default,
 * {@code parentbased_always_on}.
 */
@ApplicationScoped
public class ExportSampler {

  @Produces
  @Singleton
  Sampler sampler(TracingConfig config) {
    return config.export() ? Sampler.parentBased(Sampler.alwaysOn()) : Sampler.alwaysOff();
  }
}
