package dev.cascade.publisher.persistence;

import static dev.cascade.service.database.BlockingSessions.inSession;
import static dev.cascade.service.database.BlockingSessions.inTransaction;

import dev.cascade.publisher.domain.SignedVersion;
import dev.cascade.service.database.BlockingSessions;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.hibernate.JDBCException;

/**
 * The publisher's tables in PostgreSQL schema {@code publisher}, written with Hibernate Reactive (tables created and
 * updated by Hibernate at start). The methods block: callers run on worker threads (blocking consumers, the restore
 * thread, tests), and each call runs its session on a Vert.x context with
 * {@link BlockingSessions}, which refuses to block an event loop.
 *
 * <p>{@code signed_version} remembers every signed version heard of and whether it was approved (an approval may
 * overtake its signed-version fact); {@code published} holds per zone the version on the publication server and
 * where its content is, which is all a restart needs to serve it again.
 *
 * <p>The fact and the approval of one version arrive on different channels and may write its row at the same moment.
 * Each write reads the row with a row lock ({@code SELECT ... FOR UPDATE}), so the second writer sees the first one's
 * changes; when both find no row and both insert, the primary key rejects one, and that one runs again and finds the
 * row. Either way exactly the writer that completes the row learns that the version can be published.
 */
@ApplicationScoped
public class PublisherStore {


  /** SQLSTATE unique_violation (PostgreSQL documentation, Appendix A "PostgreSQL Error Codes"). */
  private static final String UNIQUE_VIOLATION = "23505";

  /**
   * Remembers a signed version; returns true if it had already been approved (the approval came first).
   *
   * @param receivedAt when its ZoneVersionSigned occurred: the row's time if this makes the row
   */
  public boolean saveSignedVersion(SignedVersion version, Instant receivedAt) {
    return upsert(
        () ->
            lockedSignedVersion(version.versionId(), version.zone(), receivedAt)
                .map(
                    row -> {
                      row.unsignedSerial = version.unsignedSerial();
                      row.signedSerial = version.signedSerial();
                      row.content = StoredContentRef.of(version.content());
                      row.traceparent = version.traceparent();
                      return row.approved;
                    }));
  }

  /** An approval of a signed version: its event, and the digest of the content approved (null if it named none). */
  public record Approval(String eventId, String contentDigest) {}

  /**
   * Records the approval of a signed version and returns the version if its signed-version fact is already known;
   * otherwise the approval waits in the table for the fact.
   *
   * @param receivedAt when the approval occurred: the row's time if this makes the row
   */
  public Optional<SignedVersion> approve(String zone, String versionId, Approval approval, Instant receivedAt) {
    return upsert(
        () ->
            lockedSignedVersion(versionId, zone, receivedAt)
                .map(
                    row -> {
                      row.approved = true;
                      row.approvalEventId = approval.eventId();
                      row.approvedDigest = approval.contentDigest();
                      return row.content == null
                          ? Optional.<SignedVersion>empty()
                          : Optional.of(
                              new SignedVersion(
                                  row.zone,
                                  row.versionId,
                                  row.unsignedSerial,
                                  row.signedSerial,
                                  row.content.toContentRef(),
                                  row.traceparent));
                    }));
  }

  /** The approval of {@code versionId}, if approved. */
  public Optional<Approval> approval(String versionId) {
    StoredSignedVersion row = inSession(() -> StoredSignedVersion.findById(versionId));
    return row == null || row.approvalEventId == null
        ? Optional.empty()
        : Optional.of(new Approval(row.approvalEventId, row.approvedDigest));
  }

  /** Makes {@code version} the zone's published version, at the time its ZoneVersionPublished carries. */
  public void savePublished(SignedVersion version, Instant publishedAt) {
    upsert(
        () ->
            PublishedZone.<PublishedZone>findById(version.zone(), LockModeType.PESSIMISTIC_WRITE)
                .chain(
                    found -> {
                      PublishedZone row = found != null ? found : new PublishedZone();
                      row.zone = version.zone();
                      row.versionId = version.versionId();
                      row.unsignedSerial = version.unsignedSerial();
                      row.signedSerial = version.signedSerial();
                      row.content = StoredContentRef.of(version.content());
                      row.publishedAt = publishedAt;
                      return found != null ? Uni.createFrom().voidItem() : row.persist().replaceWithVoid();
                    }));
  }

  public Optional<SignedVersion> findPublished(String zone) {
    PublishedZone row = inSession(() -> PublishedZone.findById(zone));
    return Optional.ofNullable(row).map(PublisherStore::signedVersion);
  }

  /** When the zone's published version was published, as its ZoneVersionPublished carries it. */
  public Optional<Instant> publishedAt(String zone) {
    PublishedZone row = inSession(() -> PublishedZone.findById(zone));
    return Optional.ofNullable(row).map(found -> found.publishedAt);
  }

  /** Every published version, for the restore at start. */
  public List<SignedVersion> allPublished() {
    List<PublishedZone> rows = inSession(() -> PublishedZone.list("order by zone"));
    return rows.stream().map(PublisherStore::signedVersion).toList();
  }

  /** The signed version {@code versionId} whose signed-version fact is known, for a rebuild. */
  public Optional<SignedVersion> findSignedVersion(String versionId) {
    StoredSignedVersion row = inSession(() -> StoredSignedVersion.findById(versionId));
    return row == null || row.content == null
        ? Optional.empty()
        : Optional.of(new SignedVersion(row.zone, row.versionId, row.unsignedSerial, row.signedSerial,
            row.content.toContentRef()));
  }

  /**
   * What the tables hold, by key: a rebuild compares it with the log to tell whether they lack anything.
   *
   * @param signedVersions the versionIds whose signed-version fact is kept
   * @param published the versionId published, by zone
   */
  public record Held(Set<String> signedVersions, Map<String, String> published) {}

  public Held held() {
    List<StoredSignedVersion> signed = inSession(() -> StoredSignedVersion.list("content.topic is not null"));
    List<PublishedZone> published = inSession(() -> PublishedZone.listAll());
    return new Held(
        signed.stream().map(row -> row.versionId).collect(Collectors.toSet()),
        published.stream().collect(Collectors.toMap(row -> row.zone, row -> row.versionId)));
  }

  /** Forgets a removed zone: it is no longer published, and a restart must not serve it again. */
  public void forgetZone(String zone) {
    inTransaction(
        () ->
            PublishedZone.delete("zone = ?1", zone)
                .chain(() -> StoredSignedVersion.delete("zone = ?1", zone))
                .replaceWithVoid());
  }

  /** The row of {@code versionId}, locked for this transaction; a new row (persisted, not approved) if none. */
  private static Uni<StoredSignedVersion> lockedSignedVersion(String versionId, String zone, Instant receivedAt) {
    return StoredSignedVersion.<StoredSignedVersion>findById(versionId, LockModeType.PESSIMISTIC_WRITE)
        .chain(
            found -> {
              if (found != null) {
                return Uni.createFrom().item(found);
              }
              StoredSignedVersion row = new StoredSignedVersion();
              row.versionId = versionId;
              row.zone = zone;
              row.receivedAt = receivedAt;
              return row.persist();
            });
  }

  private static SignedVersion signedVersion(PublishedZone row) {
    return new SignedVersion(
        row.zone, row.versionId, row.unsignedSerial, row.signedSerial, row.content.toContentRef());
  }

  /**
   * Runs a find-then-write transaction; if it lost a race to insert the same new row (unique violation at commit), runs
   * it once more, when the row exists and the find returns it.
   */
  private static <T> T upsert(Supplier<Uni<T>> work) {
    try {
      return inTransaction(work);
    } catch (RuntimeException e) {
      if (!isUniqueViolation(e)) {
        throw e;
      }
      return inTransaction(work);
    }
  }

  private static boolean isUniqueViolation(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof JDBCException jdbc && UNIQUE_VIOLATION.equals(jdbc.getSQLState())) {
        return true;
      }
    }
    return false;
  }
}
