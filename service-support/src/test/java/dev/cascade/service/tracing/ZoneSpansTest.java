package dev.cascade.service.tracing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cascade.events.EventMetadataFactory;
import dev.cascade.events.v1.ReviewDecision;
import dev.cascade.events.v1.ReviewStage;
import dev.cascade.events.v1.ZoneRegistryFact;
import dev.cascade.events.v1.ZoneRemoved;
import dev.cascade.events.v1.ZoneVersionPublished;
import dev.cascade.events.v1.ZoneVersionReviewed;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.Test;

class ZoneSpansTest {

  private static final String ZONE = "example.test.";
  private static final String VERSION = "0f6c1a52-6f0e-4bd5-9d4a-3b3c1f0e8a11";

  private final InMemorySpanExporter exported = InMemorySpanExporter.create();
  private final Tracer tracer =
      SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(exported)).build().get("test");

  @Test
  void theSerialOfAFactIsItsSignedSerialWhereItHasOne() {
    ZoneVersionPublished published = ZoneVersionPublished.newBuilder()
        .setMetadata(EventMetadataFactory.next(Clock.systemUTC(), "publisher", null))
        .setZone(ZONE).setVersionId(VERSION).setUnsignedSerial(2026112801L).setSignedSerial(2026112805L)
        .setRecordCount(7).build();
    assertEquals(new ZoneSpans.Subject(ZONE, VERSION, 2026112805L), ZoneSpans.of(ZONE, published));

    ZoneVersionReviewed reviewed = ZoneVersionReviewed.newBuilder()
        .setMetadata(EventMetadataFactory.next(Clock.systemUTC(), "review-gateway", null))
        .setZone(ZONE).setStage(ReviewStage.UNSIGNED).setVersionId(VERSION).setSerial(2026112801L)
        .setDecision(ReviewDecision.APPROVED).setReviewer("operator").build();
    assertEquals(new ZoneSpans.Subject(ZONE, VERSION, 2026112801L), ZoneSpans.of(ZONE, reviewed));
  }

  @Test
  void aSerialLearnedInsideTheSpanIsSetOnIt() {
    ZoneSpans.inSpan(tracer, "parse", new ZoneSpans.Subject(ZONE, VERSION, null),
        () -> ZoneSpans.tagCurrent(new ZoneSpans.Subject(ZONE, VERSION, 2026112801L)));
    assertEquals(2026112801L, span("parse").getAttributes().get(ZoneSpans.SERIAL));
  }

  @Test
  void aFactWithoutAVersionNamesTheZoneAlone() {
    ZoneRegistryFact removed = ZoneRegistryFact.newBuilder()
        .setMetadata(EventMetadataFactory.next(Clock.systemUTC(), "review-gateway", null))
        .setZone(ZONE).setFact(new ZoneRemoved("gone")).build();
    assertEquals(new ZoneSpans.Subject(ZONE, null, null), ZoneSpans.of(ZONE, removed));
  }

  @Test
  void workOnAVersionGoesOnInItsTraceAndLinksToTheApproval() {
    String versionTraceparent = ZoneSpans.inSpan(tracer, "load", new ZoneSpans.Subject(ZONE, VERSION, 1L),
        () -> traceparent(Span.current()));
    Span approval = tracer.spanBuilder("POST approve").startSpan();
    try (Scope ignored = approval.makeCurrent()) {
      ZoneSpans.continuing(tracer, "sign version", new ZoneSpans.Subject(ZONE, VERSION, 1L), versionTraceparent,
          () -> {
            ZoneSpans.inSpan(tracer, "sign", null, () -> {});
            return null;
          });
    } finally {
      approval.end();
    }
    SpanData load = span("load");
    SpanData signing = span("sign version");
    SpanData sign = span("sign");
    assertEquals(load.getTraceId(), signing.getTraceId(), "the signing left the version's trace");
    assertEquals(load.getSpanId(), signing.getParentSpanId());
    assertEquals(List.of(approval.getSpanContext().getTraceId()),
        signing.getLinks().stream().map(link -> link.getSpanContext().getTraceId()).toList());
    assertEquals(signing.getSpanId(), sign.getParentSpanId());
    assertEquals(ZONE, sign.getAttributes().get(ZoneSpans.ZONE), "a child span does not inherit the version");
    assertEquals(VERSION, sign.getAttributes().get(ZoneSpans.VERSION_ID));
    assertEquals(1L, sign.getAttributes().get(ZoneSpans.SERIAL));
  }

  @Test
  void aReSigningIsATraceOfItsOwnLinkedToTheVersionItReSigns() {
    String versionTraceparent = ZoneSpans.inSpan(tracer, "load", new ZoneSpans.Subject(ZONE, VERSION, 1L),
        () -> traceparent(Span.current()));
    ZoneSpans.linked(tracer, "sign version", new ZoneSpans.Subject(ZONE, "resigned", 1L), versionTraceparent,
        () -> null);
    SpanData load = span("load");
    SpanData resigning = span("sign version");
    assertNotEquals(load.getTraceId(), resigning.getTraceId());
    assertTrue(resigning.getParentSpanContext().getSpanId().matches("0+"), "a timer's re-signing has no parent");
    assertEquals(load.getSpanId(), resigning.getLinks().get(0).getSpanContext().getSpanId());
  }

  @Test
  void withoutAKnownTraceTheWorkStaysInTheCurrentOne() {
    Span approval = tracer.spanBuilder("POST approve").startSpan();
    try (Scope ignored = approval.makeCurrent()) {
      ZoneSpans.continuing(tracer, "sign version", new ZoneSpans.Subject(ZONE, VERSION, 1L), null, () -> null);
    } finally {
      approval.end();
    }
    SpanData signing = span("sign version");
    assertEquals(approval.getSpanContext().getSpanId(), signing.getParentSpanId());
    assertTrue(signing.getLinks().isEmpty());
    assertNull(ZoneSpans.current(), "the version stays with the span's scope");
  }

  /** The W3C traceparent of {@code span} (W3C Trace Context §3.2), as a record header carries it. */
  private static String traceparent(Span span) {
    return "00-" + span.getSpanContext().getTraceId() + "-" + span.getSpanContext().getSpanId() + "-01";
  }

  private SpanData span(String name) {
    List<SpanData> named = exported.getFinishedSpanItems().stream().filter(s -> s.getName().equals(name)).toList();
    assertEquals(1, named.size(), name + ": " + named);
    return named.get(0);
  }
}
