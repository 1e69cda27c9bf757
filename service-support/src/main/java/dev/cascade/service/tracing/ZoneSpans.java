package dev.cascade.service.tracing;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.ContextKey;
import io.opentelemetry.context.Scope;
import io.opentelemetry.context.propagation.TextMapGetter;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Function;
import java.util.function.Supplier;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;

/**
 * Spans about one zone version. Every span a service starts for a version carries the version as attributes, so that
 * a TraceQL query such as {@code { span.cascade.zone = "example.test." }} finds its whole flow: {@link #ZONE}, the
 * apex as the records are keyed (lower case, absolute); {@link #VERSION_ID}, the versionId that names the version
 * through the pipeline; {@link #SERIAL}, the SOA serial of the version at that step (the loaded serial up to the
 * signing, the signed serial from the signed fact on), the serial the operator reads in {@code zone status}. The
 * version goes with the OpenTelemetry context ({@link #with}), so the child spans of a handler inherit it.
 *
 * <p>A version's trace goes on across a review gate ({@link #continuing}): the work an approval completes (the
 * signing, the publication) is a child of the version's own trace, whose W3C {@code traceparent} was kept with the
 * version's fact, and links to the trace it was started in (the operator's approval request). One version is thus
 * one trace from the operator's request to its publication, also when it waited days for a review.
 */
public final class ZoneSpans {

  /** The zone apex, lower case and absolute. */
  public static final AttributeKey<String> ZONE = AttributeKey.stringKey("cascade.zone");
  /** The SOA serial of the version at this step. */
  public static final AttributeKey<Long> SERIAL = AttributeKey.longKey("cascade.serial");
  /** The versionId of the version. */
  public static final AttributeKey<String> VERSION_ID = AttributeKey.stringKey("cascade.version_id");

  private static final ContextKey<Subject> SUBJECT = ContextKey.named("cascade.zone-version");

  /**
   * The context of the innermost span this class runs work in on this thread. Quarkus's context storage does not
   * always give back, on a worker thread, a context made current there: the loader's parse span did not get the
   * serial set on {@code Span.current()} (ZoneLoadingFlowComponentTest, TraceIT), and a signing's fact once left the
   * version's trace for the approval's (SignerPipelineComponentTest in a CI run). So the spans made here are kept
   * here too, and are what {@link #context()} gives: the parent of the next span and of the facts' publish spans.
   */
  private static final ThreadLocal<Context> RUNNING = new ThreadLocal<>();

  private static final TextMapGetter<String> GET =
      new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(String carrier) {
          return List.of("traceparent");
        }

        @Override
        public String get(String carrier, String key) {
          return "traceparent".equals(key) ? carrier : null;
        }
      };

  private ZoneSpans() {}

  /**
   * The zone version a span works on; {@code versionId} and {@code serial} null when not known (a key set is of a
   * zone, not of a version).
   */
  public record Subject(String zone, String versionId, Long serial) {

    /** This subject with the serial of the version at the next step. */
    public Subject withSerial(long next) {
      return new Subject(zone, versionId, next);
    }

    /** Sets this subject's attributes on {@code span}. */
    public SpanBuilder tag(SpanBuilder span) {
      if (zone != null) {
        span.setAttribute(ZONE, zone);
      }
      if (versionId != null) {
        span.setAttribute(VERSION_ID, versionId);
      }
      if (serial != null) {
        span.setAttribute(SERIAL, serial);
      }
      return span;
    }
  }

  /**
   * The subject of an event keyed by {@code key} (the zone apex): its zone, and the versionId and serial of the
   * event or of its {@code fact} (the union the fact topics wrap their facts in). The serial is the event's
   * {@code signedSerial} where it has one, else its {@code serial}, else its {@code unsignedSerial}.
   */
  public static Subject of(String key, Object event) {
    String zone = key;
    String versionId = null;
    Long serial = null;
    if (event instanceof GenericRecord record) {
      // get(name) of a field the schema does not have throws: ask the schema first.
      GenericRecord fact = has(record, "fact") && record.get("fact") instanceof GenericRecord inner ? inner : record;
      if (zone == null && has(record, "zone")) {
        zone = String.valueOf(record.get("zone"));
      }
      versionId = has(fact, "versionId") && fact.get("versionId") != null ? fact.get("versionId").toString() : null;
      for (String field : List.of("signedSerial", "serial", "unsignedSerial")) {
        if (serial == null && has(fact, field) && fact.get(field) instanceof Long value) {
          serial = value;
        }
      }
    }
    return new Subject(zone, versionId, serial);
  }

  private static boolean has(GenericRecord record, String field) {
    return record.getSchema().getField(field) != null;
  }

  /** {@code context} with {@code subject} as the version its spans work on. */
  public static Context with(Context context, Subject subject) {
    return context.with(SUBJECT, subject);
  }

  /** The version the current context's spans work on, or null. */
  public static Subject current() {
    return context().get(SUBJECT);
  }

  /** The context work runs in here: that of the innermost span run here on this thread, else the current one. */
  public static Context context() {
    Context running = RUNNING.get();
    return running != null ? running : Context.current();
  }

  /** Runs {@code work} in {@code context}: the spans it starts here are its children. */
  public static void within(Context context, Runnable work) {
    Context outer = RUNNING.get();
    RUNNING.set(context);
    try (Scope ignored = context.makeCurrent()) {
      work.run();
    } finally {
      restore(outer);
    }
  }

  private static void restore(Context outer) {
    if (outer == null) {
      RUNNING.remove();
    } else {
      RUNNING.set(outer);
    }
  }

  /** Sets {@code subject} on the current span (an HTTP request's, for one). */
  public static void tagCurrent(Subject subject) {
    tag(Span.fromContext(context()), subject);
  }

  /** Sets what {@code subject} knows on {@code span}. */
  public static void tag(Span span, Subject subject) {
    if (subject.zone() != null) {
      span.setAttribute(ZONE, subject.zone());
    }
    if (subject.versionId() != null) {
      span.setAttribute(VERSION_ID, subject.versionId());
    }
    if (subject.serial() != null) {
      span.setAttribute(SERIAL, subject.serial());
    }
  }

  /**
   * Runs {@code work} in a span {@code name}, a child of the current context about {@code subject} (null: the
   * current context's), with that subject current for the spans {@code work} starts; a failure is recorded on it.
   */
  public static <T> T inSpan(Tracer tracer, String name, Subject subject, Supplier<T> work) {
    Subject about = subject != null ? subject : current();
    SpanBuilder builder = tracer.spanBuilder(name).setParent(context());
    if (about != null) {
      about.tag(builder);
    }
    return run(builder.startSpan(), about, work);
  }

  /**
   * {@link #inSpan(Tracer, String, Subject, Supplier)} for work that learns more about its version on the way (the
   * serial a parse finds) and sets it on the span it is given ({@link #tag}).
   */
  public static <T> T inSpanTelling(Tracer tracer, String name, Subject subject, Function<Span, T> work) {
    Subject about = subject != null ? subject : current();
    SpanBuilder builder = tracer.spanBuilder(name).setParent(context());
    if (about != null) {
      about.tag(builder);
    }
    Span span = builder.startSpan();
    return run(span, about, () -> work.apply(span));
  }

  /** {@link #inSpan(Tracer, String, Subject, Supplier)} for work without a result. */
  public static void inSpan(Tracer tracer, String name, Subject subject, Runnable work) {
    inSpan(tracer, name, subject, () -> {
      work.run();
      return null;
    });
  }

  /**
   * Runs {@code work} in a span {@code name} about {@code subject} that goes on with the version's trace: a child of
   * {@code versionTraceparent} (the W3C traceparent kept with the version's fact) when that is valid, else of the
   * current context, linked to the current span when that is of another trace (the approval that completed the
   * version's inputs, a key set). So the version's trace holds the work, and the trace of what set it off is one
   * link away.
   */
  public static <T> T continuing(
      Tracer tracer, String name, Subject subject, String versionTraceparent, Supplier<T> work) {
    SpanContext version = spanContext(versionTraceparent);
    SpanContext cause = Span.fromContext(context()).getSpanContext();
    SpanBuilder builder = tracer.spanBuilder(name).setParent(context());
    if (version.isValid()) {
      builder.setParent(context().with(Span.wrap(version)));
      if (cause.isValid() && !cause.getTraceId().equals(version.getTraceId())) {
        builder.addLink(cause);
      }
    }
    subject.tag(builder);
    return run(builder.startSpan(), subject, work);
  }

  /**
   * Runs {@code work} in a span {@code name} about {@code subject} in the current trace (a new one for a timer),
   * linked to the version it works from, whose traceparent is {@code linkedTraceparent}: a re-signing of that
   * version, which is a version of its own.
   */
  public static <T> T linked(
      Tracer tracer, String name, Subject subject, String linkedTraceparent, Supplier<T> work) {
    SpanBuilder builder = tracer.spanBuilder(name).setParent(context());
    SpanContext linked = spanContext(linkedTraceparent);
    if (linked.isValid()) {
      builder.addLink(linked);
    }
    subject.tag(builder);
    return run(builder.startSpan(), subject, work);
  }

  private static <T> T run(Span span, Subject subject, Supplier<T> work) {
    Context context = context().with(span);
    if (subject != null) {
      context = with(context, subject);
    }
    Context outer = RUNNING.get();
    RUNNING.set(context);
    try (Scope ignored = context.makeCurrent()) {
      return work.get();
    } catch (RuntimeException e) {
      span.recordException(e).setStatus(StatusCode.ERROR);
      throw e;
    } finally {
      restore(outer);
      span.end();
    }
  }

  /**
   * The W3C traceparent a fact was written in (its record's last {@code traceparent} header), to keep with the fact
   * so that the work it waits for goes on in its trace; null when it has none. The header, not the span that
   * received it: a projection rebuilt from the log then keeps the very same value.
   */
  public static String traceparentOf(ConsumerRecord<?, ?> record) {
    Header header = record.headers().lastHeader("traceparent");
    return header == null ? null : new String(header.value(), StandardCharsets.US_ASCII);
  }

  private static SpanContext spanContext(String traceparent) {
    if (traceparent == null) {
      return SpanContext.getInvalid();
    }
    return Span.fromContext(W3CTraceContextPropagator.getInstance().extract(Context.root(), traceparent, GET))
        .getSpanContext();
  }
}
