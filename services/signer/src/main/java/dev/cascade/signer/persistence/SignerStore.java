package dev.cascade.signer.persistence;

import dev.cascade.dnssec.serial.SerialPolicy;
import dev.cascade.dnssec.sign.SigningPolicy;
import dev.cascade.signer.domain.Approval;
import dev.cascade.signer.domain.ContentRef;
import dev.cascade.signer.domain.SigningStatus;
import dev.cascade.signer.domain.UnsignedManifest;
import dev.cascade.signer.domain.WrappedKey;
import dev.cascade.signer.domain.WrappedKeySet;
import dev.cascade.signer.domain.ZonePolicy;
import io.quarkus.runtime.StartupEvent;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.jboss.logging.Logger;

/**
 * The signer's tables in PostgreSQL schema {@code signer}, reached through the reactive client and awaited: every
 * caller runs on a worker thread (blocking consumers), never on an event loop.
 *
 * <p>These tables are a projection of the topics the signer consumes plus its own outcomes; the key set keeps the
 * private keys only in their wrapped form.
 */
@ApplicationScoped
public class SignerStore {

  /** Upper bound for one database round trip; no official reference, generous for a loaded 2-core machine. */
  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  private static final List<String> SCHEMA =
      List.of(
          "CREATE SCHEMA IF NOT EXISTS signer",
          """
          CREATE TABLE IF NOT EXISTS signer.zone_policy (
            zone text PRIMARY KEY, serial_policy text NOT NULL, denial text NOT NULL, nsec3_opt_out boolean NOT NULL,
            nsec3_iterations int NOT NULL, nsec3_salt text NOT NULL, inception_offset_s bigint NOT NULL,
            lifetime_s bigint NOT NULL, remain_time_s bigint NOT NULL, event_id text NOT NULL,
            updated_at timestamptz NOT NULL DEFAULT now())""",
          """
          CREATE TABLE IF NOT EXISTS signer.key_set (
            zone text PRIMARY KEY, event_id text NOT NULL, dnskey_ttl bigint NOT NULL,
            updated_at timestamptz NOT NULL DEFAULT now())""",
          """
          CREATE TABLE IF NOT EXISTS signer.zone_key (
            zone text NOT NULL REFERENCES signer.key_set (zone) ON DELETE CASCADE, position int NOT NULL,
            key_tag int NOT NULL, algorithm int NOT NULL, flags int NOT NULL, role text NOT NULL,
            public_key text NOT NULL, wrapped_private_key bytea NOT NULL, PRIMARY KEY (zone, position))""",
          """
          CREATE TABLE IF NOT EXISTS signer.unsigned_manifest (
            version_id text PRIMARY KEY, zone text NOT NULL, unsigned_serial bigint NOT NULL, topic text NOT NULL,
            partition_no int NOT NULL, first_offset bigint NOT NULL, last_offset bigint NOT NULL,
            chunk_count int NOT NULL, digest text NOT NULL, record_count bigint NOT NULL,
            received_at timestamptz NOT NULL DEFAULT now())""",
          """
          CREATE TABLE IF NOT EXISTS signer.signing (
            version_id text PRIMARY KEY, zone text NOT NULL, unsigned_serial bigint NOT NULL,
            approval_event_id text NOT NULL, status text NOT NULL, signed_serial bigint, signed_digest text,
            reason text, approved_at timestamptz NOT NULL DEFAULT now(), finished_at timestamptz)""",
          "CREATE INDEX IF NOT EXISTS signing_pending_by_zone ON signer.signing (zone) WHERE status = 'PENDING'",
          """
          CREATE TABLE IF NOT EXISTS signer.zone_serial (
            zone text PRIMARY KEY, last_signed_serial bigint NOT NULL, version_id text NOT NULL)""");

  private static final Logger LOG = Logger.getLogger(SignerStore.class);

  private final Pool pool;
  private volatile boolean schemaReady;

  public SignerStore(Pool pool) {
    this.pool = pool;
  }

  void onStart(@Observes StartupEvent event) {
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

  // ----------------------------------------------------------------------------------------------- policy

  public void savePolicy(String zone, ZonePolicy policy, String eventId) {
    ensureSchema();
    SigningPolicy signing = policy.signing();
    update(
        pool,
        """
        INSERT INTO signer.zone_policy (zone, serial_policy, denial, nsec3_opt_out, nsec3_iterations, nsec3_salt,
          inception_offset_s, lifetime_s, remain_time_s, event_id)
        VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
        ON CONFLICT (zone) DO UPDATE SET serial_policy = $2, denial = $3, nsec3_opt_out = $4, nsec3_iterations = $5,
          nsec3_salt = $6, inception_offset_s = $7, lifetime_s = $8, remain_time_s = $9, event_id = $10,
          updated_at = now()""",
        zone,
        policy.serialPolicy().name(),
        signing.denial().name(),
        signing.optOut(),
        signing.nsec3Iterations(),
        HexFormat.of().formatHex(signing.nsec3Salt()),
        signing.inceptionOffset().toSeconds(),
        signing.lifetime().toSeconds(),
        policy.signatureRemainTime().toSeconds(),
        eventId);
  }

  public Optional<ZonePolicy> findPolicy(String zone) {
    ensureSchema();
    return first(query(pool, "SELECT * FROM signer.zone_policy WHERE zone = $1", zone))
        .map(
            row ->
                new ZonePolicy(
                    SerialPolicy.valueOf(row.getString("serial_policy")),
                    new SigningPolicy(
                        SigningPolicy.Denial.valueOf(row.getString("denial")),
                        row.getBoolean("nsec3_opt_out"),
                        row.getInteger("nsec3_iterations"),
                        HexFormat.of().parseHex(row.getString("nsec3_salt")),
                        Duration.ofSeconds(row.getLong("inception_offset_s")),
                        Duration.ofSeconds(row.getLong("lifetime_s"))),
                    Duration.ofSeconds(row.getLong("remain_time_s"))));
  }

  /**
   * Forgets a removed zone: its policy and its pending approvals. The last signed serial stays, so a zone that is
   * added again never goes back in serial (RFC 1982 arithmetic would make secondaries ignore it).
   */
  public void forgetZone(String zone) {
    ensureSchema();
    pool.withTransaction(
            tx ->
                tx.preparedQuery("DELETE FROM signer.zone_policy WHERE zone = $1")
                    .execute(Tuple.of(zone))
                    .chain(
                        () ->
                            tx.preparedQuery("DELETE FROM signer.signing WHERE zone = $1 AND status = 'PENDING'")
                                .execute(Tuple.of(zone))))
        .await()
        .atMost(TIMEOUT);
  }

  // ---------------------------------------------------------------------------------------------- key set

  /** Replaces the zone's key set with {@code keySet} (one transaction: readers never see half a set). */
  public void saveKeySet(WrappedKeySet keySet) {
    ensureSchema();
    pool.withTransaction(
            tx -> {
              var chain =
                  tx.preparedQuery(
                          """
                          INSERT INTO signer.key_set (zone, event_id, dnskey_ttl) VALUES ($1, $2, $3)
                          ON CONFLICT (zone) DO UPDATE SET event_id = $2, dnskey_ttl = $3, updated_at = now()""")
                      .execute(Tuple.of(keySet.zone(), keySet.eventId(), keySet.dnskeyTtl()))
                      .chain(
                          () ->
                              tx.preparedQuery("DELETE FROM signer.zone_key WHERE zone = $1")
                                  .execute(Tuple.of(keySet.zone())));
              for (int i = 0; i < keySet.keys().size(); i++) {
                WrappedKey key = keySet.keys().get(i);
                Tuple values =
                    Tuple.from(
                        Arrays.asList(
                            keySet.zone(),
                            i,
                            key.keyTag(),
                            key.algorithm(),
                            key.flags(),
                            key.role(),
                            key.publicKey(),
                            io.vertx.core.buffer.Buffer.buffer(key.wrappedPrivateKey())));
                chain =
                    chain.chain(
                        () ->
                            tx.preparedQuery(
                                    """
                                    INSERT INTO signer.zone_key (zone, position, key_tag, algorithm, flags, role,
                                      public_key, wrapped_private_key) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)""")
                                .execute(values));
              }
              return chain;
            })
        .await()
        .atMost(TIMEOUT);
  }

  public Optional<WrappedKeySet> findKeySet(String zone) {
    ensureSchema();
    Optional<Row> set = first(query(pool, "SELECT * FROM signer.key_set WHERE zone = $1", zone));
    if (set.isEmpty()) {
      return Optional.empty();
    }
    List<WrappedKey> keys = new ArrayList<>();
    for (Row row : query(pool, "SELECT * FROM signer.zone_key WHERE zone = $1 ORDER BY position", zone)) {
      keys.add(
          new WrappedKey(
              row.getInteger("key_tag"),
              row.getInteger("algorithm"),
              row.getInteger("flags"),
              row.getString("role"),
              row.getString("public_key"),
              row.getBuffer("wrapped_private_key").getBytes()));
    }
    return Optional.of(
        new WrappedKeySet(zone, set.get().getString("event_id"), set.get().getLong("dnskey_ttl"), keys));
  }

  // ------------------------------------------------------------------------------------------- manifests

  public void saveManifest(UnsignedManifest manifest) {
    ensureSchema();
    ContentRef c = manifest.content();
    update(
        pool,
        """
        INSERT INTO signer.unsigned_manifest (version_id, zone, unsigned_serial, topic, partition_no, first_offset,
          last_offset, chunk_count, digest, record_count) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
        ON CONFLICT (version_id) DO NOTHING""",
        manifest.versionId(),
        manifest.zone(),
        manifest.unsignedSerial(),
        c.topic(),
        c.partition(),
        c.firstOffset(),
        c.lastOffset(),
        c.chunkCount(),
        c.digest(),
        c.recordCount());
  }

  public Optional<UnsignedManifest> findManifest(String versionId) {
    ensureSchema();
    return first(query(pool, "SELECT * FROM signer.unsigned_manifest WHERE version_id = $1", versionId))
        .map(
            row ->
                new UnsignedManifest(
                    row.getString("zone"),
                    versionId,
                    row.getLong("unsigned_serial"),
                    new ContentRef(
                        row.getString("topic"),
                        row.getInteger("partition_no"),
                        row.getLong("first_offset"),
                        row.getLong("last_offset"),
                        row.getInteger("chunk_count"),
                        row.getString("digest"),
                        row.getLong("record_count"))));
  }

  // ------------------------------------------------------------------------------------------- approvals

  /** Records an approval as PENDING unless the version already has one (a replayed approval changes nothing). */
  public void recordApproval(Approval approval) {
    ensureSchema();
    update(
        pool,
        """
        INSERT INTO signer.signing (version_id, zone, unsigned_serial, approval_event_id, status)
        VALUES ($1, $2, $3, $4, 'PENDING') ON CONFLICT (version_id) DO NOTHING""",
        approval.versionId(),
        approval.zone(),
        approval.unsignedSerial(),
        approval.eventId());
  }

  /** The approval of a version and where it stands, if the version was approved. */
  public Optional<ApprovalState> findApproval(String versionId) {
    ensureSchema();
    return first(query(pool, "SELECT * FROM signer.signing WHERE version_id = $1", versionId)).map(SignerStore::state);
  }

  /** Approvals of a zone still waiting for policy, key set or manifest, oldest first. */
  public List<ApprovalState> pendingApprovals(String zone) {
    ensureSchema();
    List<ApprovalState> pending = new ArrayList<>();
    for (Row row :
        query(pool, "SELECT * FROM signer.signing WHERE zone = $1 AND status = 'PENDING' ORDER BY approved_at", zone)) {
      pending.add(state(row));
    }
    return pending;
  }

  /** Marks a version signed and makes its serial the zone's last signed serial, in one transaction. */
  public void markSigned(String zone, String versionId, long signedSerial, String signedDigest) {
    ensureSchema();
    pool.withTransaction(
            tx ->
                tx.preparedQuery(
                        """
                        UPDATE signer.signing SET status = 'SIGNED', signed_serial = $2, signed_digest = $3,
                          finished_at = now() WHERE version_id = $1""")
                    .execute(Tuple.of(versionId, signedSerial, signedDigest))
                    .chain(
                        () ->
                            tx.preparedQuery(
                                    """
                                    INSERT INTO signer.zone_serial (zone, last_signed_serial, version_id)
                                    VALUES ($1, $2, $3) ON CONFLICT (zone)
                                    DO UPDATE SET last_signed_serial = $2, version_id = $3""")
                                .execute(Tuple.of(zone, signedSerial, versionId))))
        .await()
        .atMost(TIMEOUT);
  }

  public void markFailed(String versionId, String reason) {
    ensureSchema();
    update(
        pool,
        "UPDATE signer.signing SET status = 'FAILED', reason = $2, finished_at = now() WHERE version_id = $1",
        versionId,
        reason);
  }

  public OptionalLong lastSignedSerial(String zone) {
    ensureSchema();
    return first(query(pool, "SELECT last_signed_serial FROM signer.zone_serial WHERE zone = $1", zone))
        .map(row -> OptionalLong.of(row.getLong("last_signed_serial")))
        .orElse(OptionalLong.empty());
  }

  // ----------------------------------------------------------------------------------------------- helpers

  /**
   * An approval and its status.
   *
   * @param approval the approval as received
   * @param status where signing stands
   */
  public record ApprovalState(Approval approval, SigningStatus status) {}

  private static ApprovalState state(Row row) {
    return new ApprovalState(
        new Approval(
            row.getString("zone"),
            row.getString("version_id"),
            row.getLong("unsigned_serial"),
            row.getString("approval_event_id")),
        SigningStatus.valueOf(row.getString("status")));
  }

  private static RowSet<Row> query(SqlClient client, String sql, Object... params) {
    return client.preparedQuery(sql).execute(Tuple.from(Arrays.asList(params))).await().atMost(TIMEOUT);
  }

  private static void update(SqlClient client, String sql, Object... params) {
    query(client, sql, params);
  }

  private static Optional<Row> first(RowSet<Row> rows) {
    var it = rows.iterator();
    return it.hasNext() ? Optional.of(it.next()) : Optional.empty();
  }
}
