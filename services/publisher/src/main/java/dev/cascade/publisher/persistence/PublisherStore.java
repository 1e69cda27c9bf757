package dev.cascade.publisher.persistence;

import dev.cascade.publisher.domain.ContentRef;
import dev.cascade.publisher.domain.SignedVersion;
import io.quarkus.runtime.StartupEvent;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * The publisher's tables in PostgreSQL schema {@code publisher}, reached through the reactive client and awaited:
 * callers run on worker threads (blocking consumers) or at start, never on an event loop.
 *
 * <p>{@code signed_version} remembers every signed version heard of and whether it was approved (an approval may
 * overtake its signed-version fact); {@code published} holds per zone the version on the publication server and
 * where its content is, which is all a restart needs to serve it again.
 */
@ApplicationScoped
public class PublisherStore {

  /** Upper bound for one database round trip; no official reference, generous for a loaded 2-core machine. */
  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  private static final String LOCATION_COLUMNS =
      "topic text, partition_no int, first_offset bigint, last_offset bigint, chunk_count int, digest text, "
          + "record_count bigint";

  private static final List<String> SCHEMA =
      List.of(
          "CREATE SCHEMA IF NOT EXISTS publisher",
          "CREATE TABLE IF NOT EXISTS publisher.signed_version (version_id text PRIMARY KEY, zone text NOT NULL, "
              + "unsigned_serial bigint, signed_serial bigint, "
              + LOCATION_COLUMNS
              + ", approved boolean NOT NULL DEFAULT false, approval_event_id text, "
              + "received_at timestamptz NOT NULL DEFAULT now())",
          "CREATE TABLE IF NOT EXISTS publisher.published (zone text PRIMARY KEY, version_id text NOT NULL, "
              + "unsigned_serial bigint NOT NULL, signed_serial bigint NOT NULL, "
              + LOCATION_COLUMNS
              + ", published_at timestamptz NOT NULL DEFAULT now())");

  private static final Logger LOG = Logger.getLogger(PublisherStore.class);

  private final Pool pool;
  private volatile boolean schemaReady;

  public PublisherStore(Pool pool) {
    this.pool = pool;
  }

  /** Creates the schema before the restore and the consumers need it. */
  void onStart(@Observes @Priority(1) StartupEvent event) {
    try {
      ensureSchema();
    } catch (RuntimeException e) {
      // Not fatal: every store method retries, and the database health check reports the outage meanwhile.
      LOG.warnf("cannot create the database schema yet: %s", e.getMessage());
    }
  }

  /** Creates the schema and tables if they are missing (idempotent; runs once per process). */
  public synchronized void ensureSchema() {
    if (schemaReady) {
      return;
    }
    for (String statement : SCHEMA) {
      pool.query(statement).execute().await().atMost(TIMEOUT);
    }
    schemaReady = true;
  }

  /** Remembers a signed version; returns true if it had already been approved (the approval came first). */
  public boolean saveSignedVersion(SignedVersion version) {
    ensureSchema();
    ContentRef c = version.content();
    RowSet<Row> rows =
        query(
            """
            INSERT INTO publisher.signed_version (version_id, zone, unsigned_serial, signed_serial, topic,
              partition_no, first_offset, last_offset, chunk_count, digest, record_count)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
            ON CONFLICT (version_id) DO UPDATE SET unsigned_serial = $3, signed_serial = $4, topic = $5,
              partition_no = $6, first_offset = $7, last_offset = $8, chunk_count = $9, digest = $10,
              record_count = $11
            RETURNING approved""",
            version.versionId(),
            version.zone(),
            version.unsignedSerial(),
            version.signedSerial(),
            c.topic(),
            c.partition(),
            c.firstOffset(),
            c.lastOffset(),
            c.chunkCount(),
            c.digest(),
            c.recordCount());
    return rows.iterator().next().getBoolean("approved");
  }

  /**
   * Records the approval of a signed version and returns the version if its signed-version fact is already known;
   * otherwise the approval waits in the table for the fact.
   */
  public Optional<SignedVersion> approve(String zone, String versionId, String approvalEventId) {
    ensureSchema();
    RowSet<Row> rows =
        query(
            """
            INSERT INTO publisher.signed_version (version_id, zone, approved, approval_event_id)
            VALUES ($1, $2, true, $3)
            ON CONFLICT (version_id) DO UPDATE SET approved = true, approval_event_id = $3
            RETURNING *""",
            versionId,
            zone,
            approvalEventId);
    Row row = rows.iterator().next();
    return row.getString("topic") == null ? Optional.empty() : Optional.of(signedVersion(row));
  }

  /** The event id of the approval of {@code versionId}, if approved. */
  public Optional<String> approvalEventId(String versionId) {
    ensureSchema();
    var it = query("SELECT approval_event_id FROM publisher.signed_version WHERE version_id = $1", versionId).iterator();
    return it.hasNext() ? Optional.ofNullable(it.next().getString("approval_event_id")) : Optional.empty();
  }

  public void savePublished(SignedVersion version) {
    ensureSchema();
    ContentRef c = version.content();
    query(
        """
        INSERT INTO publisher.published (zone, version_id, unsigned_serial, signed_serial, topic, partition_no,
          first_offset, last_offset, chunk_count, digest, record_count)
        VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
        ON CONFLICT (zone) DO UPDATE SET version_id = $2, unsigned_serial = $3, signed_serial = $4, topic = $5,
          partition_no = $6, first_offset = $7, last_offset = $8, chunk_count = $9, digest = $10,
          record_count = $11, published_at = now()""",
        version.zone(),
        version.versionId(),
        version.unsignedSerial(),
        version.signedSerial(),
        c.topic(),
        c.partition(),
        c.firstOffset(),
        c.lastOffset(),
        c.chunkCount(),
        c.digest(),
        c.recordCount());
  }

  public Optional<SignedVersion> findPublished(String zone) {
    ensureSchema();
    var it = query("SELECT * FROM publisher.published WHERE zone = $1", zone).iterator();
    return it.hasNext() ? Optional.of(signedVersion(it.next())) : Optional.empty();
  }

  /** Every published version, for the restore at start. */
  public List<SignedVersion> allPublished() {
    ensureSchema();
    List<SignedVersion> published = new ArrayList<>();
    for (Row row : query("SELECT * FROM publisher.published ORDER BY zone")) {
      published.add(signedVersion(row));
    }
    return published;
  }

  /** Forgets a removed zone: it is no longer published, and a restart must not serve it again. */
  public void forgetZone(String zone) {
    ensureSchema();
    query("DELETE FROM publisher.published WHERE zone = $1", zone);
    query("DELETE FROM publisher.signed_version WHERE zone = $1", zone);
  }

  private static SignedVersion signedVersion(Row row) {
    return new SignedVersion(
        row.getString("zone"),
        row.getString("version_id"),
        row.getLong("unsigned_serial"),
        row.getLong("signed_serial"),
        new ContentRef(
            row.getString("topic"),
            row.getInteger("partition_no"),
            row.getLong("first_offset"),
            row.getLong("last_offset"),
            row.getInteger("chunk_count"),
            row.getString("digest"),
            row.getLong("record_count")));
  }

  private RowSet<Row> query(String sql, Object... params) {
    return pool.preparedQuery(sql).execute(Tuple.from(Arrays.asList(params))).await().atMost(TIMEOUT);
  }
}
