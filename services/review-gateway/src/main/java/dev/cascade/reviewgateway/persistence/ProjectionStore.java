package dev.cascade.reviewgateway.persistence;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cascade.reviewgateway.domain.GateDecision;
import dev.cascade.reviewgateway.domain.HistoryEntry;
import dev.cascade.reviewgateway.domain.ZoneFact;
import dev.cascade.reviewgateway.domain.ZoneState;
import io.quarkus.panache.common.Sort;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * Reads and writes the projection. Every method must run inside a Hibernate Reactive session (callers wrap them in
 * {@code Panache.withSession} / {@code withTransaction}), so one transaction covers a whole event.
 */
@ApplicationScoped
public class ProjectionStore {

  private final ObjectMapper json;

  public ProjectionStore(ObjectMapper json) {
    this.json = json.copy().addMixIn(ZoneFact.class, ZoneFactJson.class);
  }

  /** True if the event was applied before. */
  public Uni<Boolean> isProcessed(String eventId) {
    return ProcessedEvent.<ProcessedEvent>findById(eventId).map(e -> e != null);
  }

  /** The eventIds of every event applied so far. */
  public Uni<Set<String>> processedEventIds() {
    return ProcessedEvent.<ProcessedEvent>listAll()
        .map(rows -> rows.stream().map(r -> r.eventId).collect(Collectors.toSet()));
  }

  /**
   * The zone's state, or {@code null} if nothing is known about it; a zone removed, or with only held facts, has a
   * state that is not {@link ZoneState#registered()}.
   */
  public Uni<ZoneState> load(String zone) {
    return ZoneStatusRecord.<ZoneStatusRecord>findById(zone).map(r -> r == null ? null : decode(r.state));
  }

  /** Every registered zone ({@link ZoneState#registered()}), ordered by name. */
  public Uni<List<ZoneState>> all() {
    return ZoneStatusRecord.<ZoneStatusRecord>listAll(Sort.by("zone"))
        .map(rows -> rows.stream().map(r -> decode(r.state)).filter(ZoneState::registered).toList());
  }

  /** A zone's history, oldest first; empty if the zone never existed. */
  public Uni<List<HistoryEntry>> history(String zone) {
    return ZoneHistoryRecord.<ZoneHistoryRecord>list("zone", Sort.by("occurredAt").and("id"), zone)
        .map(rows -> rows.stream().map(r -> new HistoryEntry(r.occurredAt, r.serial, r.event)).toList());
  }

  /**
   * Stores the outcome of one event: the new state, its history lines, the gate approvals as outbox rows, and the
   * eventId as processed.
   */
  public Uni<Void> record(
      String zone, String eventId, ZoneState state, List<HistoryEntry> history, List<GateDecision> decisions) {
    Instant now = Instant.now();
    List<PanacheEntityLike> rows = new ArrayList<>();
    ProcessedEvent processed = new ProcessedEvent();
    processed.eventId = eventId;
    processed.processedAt = now;
    rows.add(processed::persist);
    for (HistoryEntry h : history) {
      ZoneHistoryRecord r = new ZoneHistoryRecord();
      r.zone = zone;
      r.occurredAt = h.when();
      r.serial = h.serial();
      r.event = h.event();
      r.eventId = eventId;
      rows.add(r::persist);
    }
    for (GateDecision d : decisions) {
      OutboxRecord o = new OutboxRecord();
      o.eventId = UUID.randomUUID().toString();
      o.zone = d.zone();
      o.stage = d.stage().name();
      o.versionId = d.versionId();
      o.serial = d.serial();
      o.contentDigest = d.contentDigest();
      o.causationId = eventId;
      o.createdAt = now;
      rows.add(o::persist);
    }
    String encoded = encode(state);
    Uni<Void> chain = ZoneStatusRecord.<ZoneStatusRecord>findById(zone).chain(existing -> {
      ZoneStatusRecord r = existing == null ? new ZoneStatusRecord() : existing;
      r.zone = zone;
      r.state = encoded;
      r.updatedAt = now;
      return r.persist().replaceWithVoid();
    });
    for (PanacheEntityLike row : rows) {
      chain = chain.chain(() -> row.persist().replaceWithVoid());
    }
    return chain;
  }

  /** Outbox rows not yet acknowledged by Kafka, oldest first. */
  public Uni<List<OutboxRecord>> pendingOutbox() {
    return OutboxRecord.<OutboxRecord>listAll(Sort.by("createdAt"));
  }

  /** Drops an outbox row once Kafka acknowledged its event. */
  public Uni<Void> sent(String eventId) {
    return OutboxRecord.deleteById(eventId).replaceWithVoid();
  }

  /** The digest of every policy the last {@code policy reload} knew, by name. */
  public Uni<Map<String, String>> knownPolicies() {
    return KnownPolicy.<KnownPolicy>listAll()
        .map(rows -> rows.stream().collect(Collectors.toMap(r -> r.name, r -> r.digest)));
  }

  /** Replaces what the last {@code policy reload} knew with {@code known}, name to digest. */
  public Uni<Void> replaceKnownPolicies(Map<String, String> known) {
    Uni<Void> chain = KnownPolicy.deleteAll().replaceWithVoid();
    for (Map.Entry<String, String> e : known.entrySet()) {
      KnownPolicy row = new KnownPolicy();
      row.name = e.getKey();
      row.digest = e.getValue();
      chain = chain.chain(() -> row.persist().replaceWithVoid());
    }
    return chain;
  }

  private ZoneState decode(String text) {
    try {
      return json.readValue(text, ZoneState.class);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("unreadable zone_status row: " + e.getOriginalMessage(), e);
    }
  }

  private String encode(ZoneState state) {
    try {
      return json.writeValueAsString(state);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot encode zone state: " + e.getOriginalMessage(), e);
    }
  }

  /**
   * How a held fact ({@link ZoneState.HeldFact}) names its kind in the stored JSON, kept here so that the domain
   * carries no Jackson annotations.
   */
  @JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "kind")
  @JsonSubTypes({
      @JsonSubTypes.Type(value = ZoneFact.Added.class, name = "Added"),
      @JsonSubTypes.Type(value = ZoneFact.ReloadRequested.class, name = "ReloadRequested"),
      @JsonSubTypes.Type(value = ZoneFact.Removed.class, name = "Removed"),
      @JsonSubTypes.Type(value = ZoneFact.Loaded.class, name = "Loaded"),
      @JsonSubTypes.Type(value = ZoneFact.LoadFailed.class, name = "LoadFailed"),
      @JsonSubTypes.Type(value = ZoneFact.Reviewed.class, name = "Reviewed"),
      @JsonSubTypes.Type(value = ZoneFact.KeysChanged.class, name = "KeysChanged"),
      @JsonSubTypes.Type(value = ZoneFact.Signed.class, name = "Signed"),
      @JsonSubTypes.Type(value = ZoneFact.SigningFailed.class, name = "SigningFailed"),
      @JsonSubTypes.Type(value = ZoneFact.Published.class, name = "Published"),
      @JsonSubTypes.Type(value = ZoneFact.SetAside.class, name = "SetAside"),
      @JsonSubTypes.Type(value = ZoneFact.DsChangeRequested.class, name = "DsChangeRequested"),
      @JsonSubTypes.Type(value = ZoneFact.DsHookCompleted.class, name = "DsHookCompleted")})
  private interface ZoneFactJson {}

  /** Something to persist, so rows of different entity types can be chained in order. */
  @FunctionalInterface
  private interface PanacheEntityLike {
    Uni<?> persist();
  }
}
