package dev.cascade.signer.persistence;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Embedded;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** What the loader announced about one unsigned version (ZoneVersionLoaded): where its content chunks are. */
@Entity
@Table(name = "unsigned_manifest")
public class StoredManifest extends PanacheEntityBase {

  @Id
  @Column(name = "version_id", nullable = false, length = 64)
  public String versionId;

  /** Apex, lower case, absolute. */
  @Column(name = "zone", nullable = false)
  public String zone;

  /** SOA serial of the loaded input. */
  @Column(name = "unsigned_serial", nullable = false)
  public long unsignedSerial;

  @Embedded
  public StoredContentRef content;

  /** The W3C traceparent the fact was received in; null when not known. */
  @Column(name = "traceparent", length = 55)
  public String traceparent;

  @Column(name = "received_at", nullable = false)
  public Instant receivedAt;
}
